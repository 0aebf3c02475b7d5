import { MarathonError, type MarathonErrorLike } from '@marathon/plugin-api';

/**
 * How the CLI shows an error that ended a command (decided once, here, with the error narrowed to
 * what each case prints):
 * - `operator`: a Marathon error (by its brand, whichever copy of the package made it), written for
 *   the operator — shown as it is, with its code in --json;
 * - `unexpected`: an error nobody wrote for the operator that still carries a code, such as Node's
 *   ENOENT or ERR_INVALID_ARG_TYPE — shown as unexpected, never as if it were advice. A code that
 *   merely looks like ours (upper case and underscores) proves nothing: Node's do too;
 * - `oclif`: anything else (oclif's own usage errors, which carry `oclif`, and plain errors):
 *   left to oclif, which prints it.
 */
export type ErrorKind =
  { kind: 'operator'; error: MarathonErrorLike } | { kind: 'unexpected'; error: Error & { code: string } } | { kind: 'oclif' };

export function errorKind(error: unknown): ErrorKind {
  if (MarathonError.is(error)) return { kind: 'operator', error };
  if (!(error instanceof Error) || 'oclif' in error) return { kind: 'oclif' };
  const { code } = error as Error & { code?: unknown };
  return typeof code === 'string' ? { kind: 'unexpected', error: error as Error & { code: string } } : { kind: 'oclif' };
}

/** The line an unexpected error is shown as: says so, then Node's message (which names the path). */
export function unexpectedErrorLine(error: Error & { code: string }): string {
  return (
    `unexpected error (${error.code}): ${error.message} — not a refusal Marathon ` +
    `wrote for you: run again with DEBUG=1 for the stack, and report it if it persists`
  );
}
