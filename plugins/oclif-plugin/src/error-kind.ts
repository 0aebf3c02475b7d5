import { MarathonError } from '@marathon/plugin-api';

/**
 * How the CLI shows an error that ended a command:
 * - `operator`: a Marathon error (by its brand, whichever copy of the package made it), written for
 *   the operator — shown as it is, with its code in --json;
 * - `unexpected`: an error nobody wrote for the operator that still carries a code, such as Node's
 *   ENOENT or ERR_INVALID_ARG_TYPE — shown as unexpected, never as if it were advice. A code that
 *   merely looks like ours (upper case and underscores) proves nothing: Node's do too;
 * - `oclif`: anything else (oclif's own usage errors, which carry `oclif`, and plain errors):
 *   left to oclif, which prints it.
 */
export type ErrorKind = 'operator' | 'unexpected' | 'oclif';

export function errorKind(error: unknown): ErrorKind {
  if (MarathonError.is(error)) return 'operator';
  if (!(error instanceof Error) || 'oclif' in error) return 'oclif';
  return typeof (error as Error & { code?: unknown }).code === 'string' ? 'unexpected' : 'oclif';
}

/** The line an unexpected error is shown as: says so, then Node's message (which names the path). */
export function unexpectedErrorLine(error: Error & { code?: unknown }): string {
  return `unexpected error (${String(error.code)}): ${error.message} — not a refusal Marathon wrote for you: run again with DEBUG=1 for the stack, and report it if it persists`;
}
