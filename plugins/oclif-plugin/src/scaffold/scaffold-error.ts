import { MarathonError } from '@marathon/plugin-api';

export type ScaffoldErrorCode = 'NAME_INVALID' | 'NAME_RESERVED' | 'FOLDER_EXISTS' | 'VERSIONS_MISSING';

/** `marathon plugin new` could not create the project; the message says what to change. */
export class ScaffoldError extends MarathonError<ScaffoldErrorCode> {
  override readonly name = 'ScaffoldError';

  constructor(code: ScaffoldErrorCode, message: string, details: readonly string[] = []) {
    super(code, message, { details });
  }
}
