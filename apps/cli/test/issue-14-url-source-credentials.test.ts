// Issue 14 (7, a URL source's credentials), through the real binary: `plugin install` of a URL
// carrying user:password and a query token kept both in state.json, `plugin info` (text and
// --json) and the exported lockfile (0644, meant to be committed), and quoted them in errors. The
// URL typed is now used for the one download; only scheme://host/path is recorded or shown.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

const USER = 'deploy-bot';
const PASSWORD = 'hunter2-pa55';
const TOKEN = 'tok-5ecret-77';
const SIGNATURE = 'sig-0ddba11';
const SECRETS = [USER, PASSWORD, TOKEN, SIGNATURE];

let ws: Workspace;
let server: Server;
let origin: string;
let port: number;
const seen: Array<{ path: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  const packer = workspace();
  let archive: Buffer;
  try {
    writePluginFolder(packer.root, { name: 'private-tool', body: '{}' });
    execFileSync('tar', ['czf', join(packer.root, 'out.tgz'), '-C', packer.root, 'private-tool']);
    archive = readFileSync(join(packer.root, 'out.tgz'));
  } finally {
    packer.cleanup();
  }
  const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    const url = new URL(request.url ?? '/', 'http://x');
    const authorised = request.headers.authorization === basic && url.searchParams.get('token') === TOKEN;
    if (url.pathname !== '/private-tool.tgz') return void response.writeHead(404).end();
    response.writeHead(authorised ? 200 : 401).end(authorised ? archive : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  ws = workspace();
  seen.length = 0;
});
afterEach(() => ws.cleanup());

const typed = (path: string) => `http://${USER}:${PASSWORD}@127.0.0.1:${port}${path}?token=${TOKEN}&X-Amz-Signature=${SIGNATURE}`;
function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) expect({ where, leaked: text.includes(secret) ? secret : undefined }).toEqual({ where, leaked: undefined });
}

test('the URL typed is used for the download, and state.json, plugin info and the exported lockfile keep only scheme://host/path', async () => {
  const installed = await ws.ok(['plugin', 'install', typed('/private-tool.tgz'), '--yes']);
  expect(seen).toEqual([
    { path: `/private-tool.tgz?token=${TOKEN}&X-Amz-Signature=${SIGNATURE}`, authorization: expect.stringMatching(/^Basic /) },
  ]);
  expectNoSecret('install output', installed.stdout + installed.stderr);
  const state = readFileSync(join(ws.home, 'state.json'), 'utf8');
  expect(JSON.parse(state).plugins['private-tool'].source).toEqual({
    kind: 'url',
    spec: `${origin}/private-tool.tgz`,
    integrity: expect.stringMatching(/^sha512-/),
  });
  expectNoSecret('state.json', state);
  const info = await ws.ok(['plugin', 'info', 'private-tool']);
  expect(info.stdout).toContain(`Source:       url ${origin}/private-tool.tgz\n`);
  expectNoSecret('plugin info', info.stdout);
  expectNoSecret('plugin info --json', (await ws.ok(['plugin', 'info', 'private-tool', '--json'])).stdout);
  const lock = join(mkdtempSync(join(ws.root, 'export-')), 'marathon-plugins.lock.json');
  await ws.ok(['plugin', 'export', '--output', lock]);
  const exported = readFileSync(lock, 'utf8');
  expect(JSON.parse(exported).plugins['private-tool'].source).toEqual({ kind: 'url', spec: `${origin}/private-tool.tgz` });
  expectNoSecret('exported lockfile', exported);
});

test('refusals of a URL with credentials never quote them', async () => {
  const missing = await ws.run(['plugin', 'install', typed('/missing.tgz'), '--yes', '--json']);
  expect(missing.code).toBe(1);
  expect(JSON.parse(missing.stdout).error.message).toBe(`${origin}/missing.tgz answered 404`);
  const mismatch = await ws.run([
    'plugin',
    'install',
    typed('/private-tool.tgz'),
    '--yes',
    '--integrity',
    `sha512-${Buffer.alloc(64).toString('base64')}`,
  ]);
  expect(mismatch.code).toBe(1);
  expect(mismatch.stderr).toContain(`${origin}/private-tool.tgz does not match --integrity`);
  const down = await ws.run(['plugin', 'install', `http://${USER}:${PASSWORD}@127.0.0.1:9/x.tgz?token=${TOKEN}`, '--yes']);
  expect(down.stderr).toContain('cannot reach 127.0.0.1:9 (ECONNREFUSED) to download http://127.0.0.1:9/x.tgz');
  for (const outcome of [missing, mismatch, down]) expectNoSecret('refusal', outcome.stdout + outcome.stderr);
});

test('a sync that fetches the recorded URL, which has no credentials, says to give them again', async () => {
  await ws.prepare(['plugin', 'install', typed('/private-tool.tgz'), '--yes']);
  const lock = join(mkdtempSync(join(ws.root, 'export-')), 'marathon-plugins.lock.json');
  await ws.prepare(['plugin', 'export', '--output', lock]);
  const source = ws;
  ws = workspace();
  try {
    const sync = await ws.run(['plugin', 'sync', lock]);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain(
      `${origin}/private-tool.tgz answered 401: if it needs credentials or a token, give ` +
        `the full URL to plugin install or plugin update (Marathon does not record them)`,
    );
    expect(seen.at(-1)).toEqual({ path: '/private-tool.tgz', authorization: undefined });
  } finally {
    source.cleanup();
  }
});
