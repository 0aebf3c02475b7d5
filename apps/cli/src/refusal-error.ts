import { terminalText } from '@marathon/oclif-plugin';
import { MarathonError } from '@marathon/plugin-api';

/** Why the CLI refused an operation: a plugin vetoed it, or the input was unusable. */
export type RefusalCode = 'TASK_VETOED' | 'TASK_TIMEOUT_INVALID' | 'TASK_COMMAND_MISSING' | 'CONFIG_NOT_FOUND' | 'CONFIG_VETOED';

/** Shown as one line on stderr (or as `{ error: { code, message } }` with --json); exit code 1. */
export class RefusalError extends MarathonError<RefusalCode> {
  override readonly name = 'RefusalError';

  constructor(code: RefusalCode, message: string) {
    // Most refusals quote a plugin (its veto reason): kept to one line, control characters shown
    // as escapes, so the reason cannot add or rewrite lines of the operator's terminal.
    super(code, terminalText(message));
  }
}
