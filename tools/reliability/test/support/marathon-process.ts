// Runs the built `marathon` binary the way an operator does (node apps/cli/bin/run.js), in a given
// MARATHON_HOME with HOME beside it, and can SIGKILL it part-way through.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';

export const BINARY = resolve(__dirname, '..', '..', '..', '..', 'apps', 'cli', 'bin', 'run.js');

export interface Outcome {
  code: number | null;
  /** 'SIGKILL' when the kill landed before the process exited by itself. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, for choosing kill points (never asserted on). */
  ms: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** SIGKILL the process this many milliseconds after it was spawned. */
  killAfterMs?: number;
  cwd?: string;
}

export function runMarathon(home: string, args: readonly string[], options: RunOptions = {}): Promise<Outcome> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BINARY, ...args], {
      cwd: options.cwd ?? dirname(home),
      env: { PATH: process.env.PATH, HOME: dirname(home), MARATHON_HOME: home, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.once('error', reject);
    // 'exit' reports the signal only when the kill reached a live process: one that had already
    // exited (but was not yet reaped) reports its own exit code.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/** Throws, with the output, unless the run exited 0. */
export function expectOk(args: readonly string[], outcome: Outcome): Outcome {
  if (outcome.code !== 0)
    throw new Error(`marathon ${args.join(' ')} exited ${outcome.code ?? outcome.signal}:\n${outcome.stderr}${outcome.stdout}`);
  return outcome;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same kill points. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
