import { MarathonError } from '@marathon/plugin-api';

export type SandboxErrorCode =
  /** The plugin's code could not be loaded: a syntax error, a forbidden import, a missing default export. */
  | 'LOAD_FAILED'
  /** The code does not implement exactly the hooks and commands its manifest declares. */
  | 'MANIFEST_MISMATCH'
  /** A call's deadline passed (an endless loop, a promise that never settles). */
  | 'DEADLINE_EXCEEDED'
  /** The plugin used up its CPU time. */
  | 'CPU_LIMIT_EXCEEDED'
  /** The plugin ran out of its memory. */
  | 'MEMORY_LIMIT_EXCEEDED'
  /** Recursion went deeper than the stack allows. */
  | 'STACK_OVERFLOW'
  /** The plugin returned something that cannot cross into the host (too large, not JSON data). */
  | 'BAD_RESULT'
  /** The handler threw or its promise rejected. */
  | 'HANDLER_FAILED'
  /** The plugin has no handler of that name. */
  | 'NO_SUCH_HANDLER'
  /** The worker running the plugin stopped (killed after another plugin overran its deadline, or crashed). */
  | 'WORKER_LOST'
  /** The sandbox or plugin was already disposed. */
  | 'DISPOSED';

/**
 * A sandboxed call or load that failed; `plugin` names whose, `message` says what happened.
 * `pluginStack` (HANDLER_FAILED only) is where in the plugin's code it threw, one frame a line
 * ("at greet (index.js:4:18)", files relative to the plugin folder) — `stack` stays the host's.
 * It is the plugin's text: bounded, but escape it before printing it to a terminal.
 */
export class SandboxError extends MarathonError<SandboxErrorCode> {
  override readonly name = 'SandboxError';

  constructor(
    code: SandboxErrorCode,
    readonly plugin: string,
    message: string,
    readonly pluginStack?: string,
  ) {
    super(code, message);
  }
}

/** Limits a breach of which stops the plugin and drops its instance. */
export const LIMIT_BREACHES: ReadonlySet<SandboxErrorCode> = new Set([
  'DEADLINE_EXCEEDED',
  'CPU_LIMIT_EXCEEDED',
  'MEMORY_LIMIT_EXCEEDED',
  'STACK_OVERFLOW',
]);
