// With DEBUG set, a failure the CLI reports shows where it happened. For a plugin's failure that is
// in the plugin's own code, not in the CLI: the sandbox keeps the frames of an Error the plugin's
// handler threw ("at greet (index.js:4:18)", files relative to the plugin folder) as the
// SandboxError's `pluginStack`, which the manager passes on as the `cause` of its own error (a
// command, an init) or in its `hook_failed` event (a hook). The frames are the plugin's text:
// each is printed on its own indented line, escaped, so none can pass for a line of the CLI's.
import { terminalText } from './terminal-text';

/**
 * Whether DEBUG is set, to anything (DEBUG=1, DEBUG=marathon; DEBUG=* also turns on oclif's own
 * debug output). Without it, a failure is one line and no stack is printed.
 */
export function debugEnabled(): boolean {
  return process.env.DEBUG !== undefined;
}

/** Errors wrap others at most this deep before the search gives up (a cause may point at itself). */
const MAX_CAUSES = 8;

/** The plugin's stack behind an error: a `pluginStack` on it, or on an error down its `cause` chain. */
export function pluginStackOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSES && typeof current === 'object' && current !== null; depth++) {
    const stack = (current as { pluginStack?: unknown }).pluginStack;
    if (typeof stack === 'string' && stack !== '') return stack;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The lines that show a plugin's stack under the failure's own line: one frame a line, indented, escaped. */
export function pluginStackLines(stack: string): string[] {
  return stack.split('\n').map((frame) => `    ${terminalText(frame)}`);
}
