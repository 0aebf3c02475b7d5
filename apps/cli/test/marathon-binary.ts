// Runs the built `marathon` binary as a subprocess, the way an operator does, in a throwaway
// MARATHON_HOME (and HOME, so nothing of the machine's user leaks in or out).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BINARY = resolve(__dirname, '..', 'bin', 'run.js');

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  root: string;
  home: string;
  /** Where tests write plugin folders. */
  plugins: string;
  /** Runs in `root`, or in `cwd` (a project folder the operator cd'ed into). */
  run(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string }): Promise<Outcome>;
  /** Runs and fails the test, showing stderr, unless the exit code is 0. */
  ok(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<Outcome>;
  cleanup(): void;
}

export function workspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'marathon-cli-'));
  const home = join(root, 'marathon-home');
  const plugins = join(root, 'plugins');
  mkdirSync(plugins);
  const run: Workspace['run'] = (args, options = {}) =>
    new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [BINARY, ...args], {
        cwd: options.cwd ?? root,
        env: { PATH: process.env.PATH, HOME: root, MARATHON_HOME: home, NO_COLOR: '1', ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', reject);
      child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });
  return {
    root,
    home,
    plugins,
    run,
    async ok(args, options) {
      const outcome = await run(args, options);
      if (outcome.code !== 0) throw new Error(`marathon ${args.join(' ')} exited ${outcome.code}:\n${outcome.stderr}${outcome.stdout}`);
      return outcome;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
