// Runs the built `marathon` binary as a subprocess, the way an operator does, in a throwaway
// MARATHON_HOME (and HOME, so nothing of the machine's user leaks in or out).
import { fork, spawn, type ChildProcess } from 'node:child_process';
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
  /**
   * A set-up step that is not the behaviour under test, like `ok` but through the same built code
   * in this file's long-lived driver process (setup-driver.cjs) instead of a fresh binary. What a
   * test asserts about output and exit codes goes through `run` or `ok`.
   */
  prepare(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<Outcome>;
  cleanup(): void;
}

let driver: Promise<ChildProcess> | undefined;

/** This test file's driver process, started on first use and stopped after the file's tests. */
function setupDriver(): Promise<ChildProcess> {
  driver ??= new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, 'setup-driver.cjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('exit', (code) => reject(new Error(`the set-up driver exited ${code} while loading`)));
    child.once('message', () => resolvePromise(child));
  });
  return driver;
}

afterAll(async () => {
  if (driver !== undefined) (await driver).kill();
  driver = undefined;
});

async function inDriver(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Outcome> {
  const child = await setupDriver();
  return new Promise((resolvePromise, reject) => {
    const onExit = (code: number | null): void =>
      reject(new Error(`the set-up driver died (exit ${code}) running marathon ${args.join(' ')}`));
    child.once('exit', onExit);
    child.once('message', (answer) => {
      child.off('exit', onExit);
      resolvePromise(answer as Outcome);
    });
    child.send({ args: [...args], env, cwd });
  });
}

function succeeded(args: readonly string[], outcome: Outcome): Outcome {
  if (outcome.code !== 0) throw new Error(`marathon ${args.join(' ')} exited ${outcome.code}:\n${outcome.stderr}${outcome.stdout}`);
  return outcome;
}

export function workspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'marathon-cli-'));
  const home = join(root, 'marathon-home');
  const plugins = join(root, 'plugins');
  mkdirSync(plugins);
  const environment = (extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: root,
    MARATHON_HOME: home,
    NO_COLOR: '1',
    ...extra,
  });
  const run: Workspace['run'] = (args, options = {}) =>
    new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [BINARY, ...args], {
        cwd: options.cwd ?? root,
        env: environment(options.env),
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
    ok: async (args, options) => succeeded(args, await run(args, options)),
    prepare: async (args, options = {}) => succeeded(args, await inDriver(args, environment(options.env), options.cwd ?? root)),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
