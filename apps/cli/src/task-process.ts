// Runs a task's command: no shell (arguments reach the program exactly as given, nothing is
// expanded), output streamed straight through, and the exit code a shell would report. A task
// with timeout_ms is stopped when it runs past it, with exit code 124 as `timeout` reports.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { TaskResult } from '@marathon/plugin-api';

/** A stopped task gets this long to exit after SIGTERM before it is killed. */
const KILL_GRACE_MS = 5000;
export const TIMEOUT_EXIT_CODE = 124;

export interface TaskProcessResult extends TaskResult {
  /** Why the command could not start (not found, not executable), if it did not. */
  startError?: string;
  /** It ran past its timeout and was stopped. */
  timedOut?: boolean;
}

export function runTaskProcess(command: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<TaskProcessResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', shell: false });
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
          timers.push(setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS));
        }, options.timeoutMs),
      );
    }
    const settle = (result: TaskProcessResult) => {
      for (const timer of timers) clearTimeout(timer);
      resolve(result);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Shell conventions: 127 command not found, 126 found but not runnable.
      const exitCode = error.code === 'ENOENT' ? 127 : 126;
      const reason = error.code === 'ENOENT' ? `command not found: ${command}` : `cannot run ${command}: ${error.message}`;
      settle({ exit_code: exitCode, duration_ms: elapsed(), startError: reason });
    });
    child.once('close', (code, signal) => {
      if (timedOut) {
        settle({ exit_code: TIMEOUT_EXIT_CODE, duration_ms: elapsed(), timedOut: true });
        return;
      }
      settle({ exit_code: code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)), duration_ms: elapsed() });
    });
  });
}
