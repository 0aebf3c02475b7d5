// A task's timeout_ms (set by a plugin with task_write) becomes a setTimeout delay, which Node holds
// in a signed 32-bit number: anything above 2^31−1 ms it silently turns into 1 ms, so a plugin
// asking for "a very long time" made every task stop at once with exit code 124. Such a value is
// refused rather than clamped: the task does not run on a limit nobody asked for, and the message
// names the plugin to fix.
import { terminalText } from '@marathon/oclif-plugin';
import { RefusalError } from './refusal-error';

/** The longest timeout a task can have: 2^31−1 ms, about 24.8 days. */
export const MAX_TASK_TIMEOUT_MS = 2 ** 31 - 1;

/** The refusal for a timeout above the maximum, or undefined when it is usable (or absent). */
export function timeoutRefusal(timeoutMs: number | undefined, setBy: string | undefined): RefusalError | undefined {
  if (timeoutMs === undefined || timeoutMs <= MAX_TASK_TIMEOUT_MS) return undefined;
  const who = setBy === undefined ? 'a pre_task_submit plugin' : `plugin '${terminalText(setBy)}'`;
  return new RefusalError(
    'TASK_TIMEOUT_INVALID',
    `task refused: ${who} set timeout_ms to ${timeoutMs}, above the longest a task can be given ` +
      `(${MAX_TASK_TIMEOUT_MS} ms, about 24.8 days). Nothing was run; lower the plugin's timeout.`,
  );
}
