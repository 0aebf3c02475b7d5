import { MarathonError } from '@marathon/plugin-api';

export type BisectErrorCode =
  /** Another live process is bisecting this home. */
  | 'BISECT_RUNNING'
  /** No plugin is enabled: there is nothing to bisect. */
  | 'BISECT_NOTHING_ENABLED'
  /** The session file cannot be read as a bisect session. */
  | 'BISECT_SESSION_INVALID'
  /** An answer after the verdict, or from a session already restored. */
  | 'BISECT_FINISHED'
  /** The operator did not confirm (no --yes, no terminal to ask on). */
  | 'BISECT_NOT_CONFIRMED'
  /** Interactive answers were needed and there is no terminal. */
  | 'BISECT_NEEDS_ANSWERS'
  /** Some of the original plugins could not be enabled again. */
  | 'BISECT_RESTORE_FAILED';

/** A bisect refused or unfinished; `message` says what to do next. */
export class BisectError extends MarathonError<BisectErrorCode> {
  override readonly name = 'BisectError';

  constructor(code: BisectErrorCode, message: string, details: readonly string[] = []) {
    super(code, message, { details });
  }
}
