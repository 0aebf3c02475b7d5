// Runs a task's command: no shell (arguments reach the program exactly as given, nothing is
// expanded), output streamed straight through, and the exit code a shell would report.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { TaskResult } from '@marathon/plugin-api';

export interface TaskProcessResult extends TaskResult {
  /** Why the command could not start (not found, not executable), if it did not. */
  startError?: string;
}

export function runTaskProcess(command: string, args: readonly string[]): Promise<TaskProcessResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', shell: false });
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Shell conventions: 127 command not found, 126 found but not runnable.
      const exitCode = error.code === 'ENOENT' ? 127 : 126;
      const reason = error.code === 'ENOENT' ? `command not found: ${command}` : `cannot run ${command}: ${error.message}`;
      resolve({ exit_code: exitCode, duration_ms: elapsed(), startError: reason });
    });
    child.once('close', (code, signal) => {
      const exitCode = code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
      resolve({ exit_code: exitCode, duration_ms: elapsed() });
    });
  });
}
