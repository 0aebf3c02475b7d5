// For the issue-14 sync tests: a loopback server whose download the test holds open, so that a
// `marathon plugin sync` is caught mid-way for as long as the test needs, and marathon processes
// started in the background, watched while they run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BINARY, type Outcome, type Workspace } from './marathon-binary';

export interface HeldServer {
  /** The URL of the tarball. */
  url: string;
  /** Serve requests at once (true) or hold each until release (false). */
  holding: boolean;
  /** Resolves when a request is being held. */
  held(): Promise<void>;
  /** Answers the held requests: with the tarball, or with this HTTP status. */
  release(answer: 'tarball' | number): void;
  close(): Promise<void>;
}

export async function heldServer(tarball: string, name = 'plugin.tgz'): Promise<HeldServer> {
  const body = readFileSync(tarball);
  const waiting: ServerResponse[] = [];
  let onHeld: (() => void) | undefined;
  const answer = (response: ServerResponse, with_: 'tarball' | number) => {
    if (with_ === 'tarball') response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
    else response.writeHead(with_).end('refused by the test');
  };
  const server = createServer((_request, response) => {
    if (!state.holding) return answer(response, 'tarball');
    waiting.push(response);
    onHeld?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: HeldServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`,
    holding: false,
    held: () => (waiting.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => (onHeld = resolve))),
    release: (with_) => {
      for (const response of waiting.splice(0)) answer(response, with_);
    },
    close: () => {
      state.release(503);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

export interface Running {
  /** What it has written to stderr so far. */
  stderr(): string;
  done: Promise<Outcome>;
  kill(): void;
}

/** Starts `marathon args` in the workspace without waiting for it. */
export function startMarathon(ws: Workspace, args: readonly string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [BINARY, ...args], {
    cwd: ws.root,
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    stderr: () => stderr,
    done: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    }),
    kill: () => child.kill('SIGKILL'),
  };
}

/** Resolves when `running` has exited or has said it waits for another marathon process (at most `ms`). */
export async function exitedOrWaiting(running: Running, ms = 15_000): Promise<'exited' | 'waiting'> {
  let exited = false;
  void running.done.then(() => (exited = true));
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (exited) return 'exited';
    if (running.stderr().includes('waiting for another marathon process')) return 'waiting';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`neither exited nor waiting after ${ms} ms: ${running.stderr()}`);
}
