// Issue 14 (9), through the real binary: archives from a local path and from URLs, against a FIFO
// and against servers on 127.0.0.1 that misbehave on purpose. Each was, before the fix: a FIFO
// installing other content under the good --integrity digest; an https download followed to plain
// http; a body over max_plugin_size without Content-Length crashing the process (mid-sync too)
// and leaving staging behind; a server dripping bytes holding an install for minutes.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspace, type Outcome, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

interface Site {
  url: string;
  paths: string[];
  close(): Promise<void>;
}

let ws: Workspace;
const sites: Site[] = [];
let writer: ChildProcess | undefined;
beforeEach(() => {
  ws = workspace();
});
afterEach(async () => {
  if (writer?.pid !== undefined && writer.exitCode === null) process.kill(writer.pid, 'SIGKILL');
  writer = undefined;
  await Promise.all(sites.splice(0).map((site) => site.close()));
  ws.cleanup();
});

const digest = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
const installedNames = async () =>
  JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout).plugins.map((plugin: { name: string }) => plugin.name);
const stagingLeft = () => (existsSync(join(ws.home, 'staging')) ? readdirSync(join(ws.home, 'staging')) : []);

/** The error a --json run printed; the run's stderr when it printed none (a crash). */
function jsonError(outcome: Outcome): { code: string; message: string } {
  try {
    return JSON.parse(outcome.stdout).error;
  } catch {
    throw new Error(`no JSON error on stdout (exit ${outcome.code}):\n${outcome.stderr}${outcome.stdout}`);
  }
}

/** A .tgz of a plugin folder, as its bytes. */
function packed(name: string, body = '{}'): Buffer {
  const parent = mkdtempSync(join(ws.root, 'pack-'));
  writePluginFolder(parent, { name, body });
  execFileSync('tar', ['czf', join(parent, 'out.tgz'), '-C', parent, name]);
  return readFileSync(join(parent, 'out.tgz'));
}

async function site(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  tls?: { key: string; cert: string },
): Promise<Site> {
  const paths: string[] = [];
  const wrapped = (request: IncomingMessage, response: ServerResponse) => {
    paths.push(request.url ?? '');
    handler(request, response);
  };
  const server: Server = tls === undefined ? createHttpServer(wrapped) : createHttpsServer(tls, wrapped);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const started: Site = {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  sites.push(started);
  return started;
}

/** Sends `megabytes` of junk in chunks, with no Content-Length. */
function endless(response: ServerResponse, megabytes: number): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  const chunk = Buffer.alloc(1024 * 1024, 1);
  let sent = 0;
  const more = (): void => {
    while (sent < megabytes) {
      sent += 1;
      if (!response.write(chunk)) return void response.once('drain', more);
    }
    response.end();
  };
  more();
}

test('a FIFO given with --integrity is refused: it cannot hand the unpacker other bytes than the ones hashed', async () => {
  const good = join(ws.root, 'good.tgz');
  const evil = join(ws.root, 'evil.tgz');
  writeFileSync(good, packed('fifo-plugin', "{ commands: { hi: () => 'good' } }"));
  writeFileSync(evil, packed('fifo-plugin', "{ commands: { hi: () => 'evil' } }"));
  const fifo = join(ws.root, 'plugin.tgz');
  execFileSync('mkfifo', [fifo]);
  // The good archive to the first reader, the evil one to the second.
  writer = spawn('sh', ['-c', 'cat "$1" > "$3"; sleep 0.3; cat "$2" > "$3"', 'sh', good, evil, fifo], { stdio: 'ignore' });
  const outcome = await ws.run(['plugin', 'install', fifo, '--integrity', digest(readFileSync(good)), '--yes', '--json']);
  expect(outcome.code).toBe(1);
  expect(jsonError(outcome)).toMatchObject({
    code: 'SOURCE_UNSUPPORTED',
    message: expect.stringContaining(`${fifo} is a named pipe (FIFO), not a regular file`),
  });
  expect(await installedNames()).toEqual([]);
  expect(stagingLeft()).toEqual([]);
});

test('an https download redirected to plain http is refused before the http server is asked', async () => {
  const certs = mkdtempSync(join(tmpdir(), 'marathon-cli-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        join(certs, 'key.pem'),
        '-out',
        join(certs, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(join(certs, 'key.pem'), 'utf8'), cert: readFileSync(join(certs, 'cert.pem'), 'utf8') };
    const swapped = packed('downgraded');
    const plain = await site((_request, response) => response.end(swapped));
    const secure = await site((request, response) => {
      if (request.url === '/direct.tgz') return void response.end(swapped);
      response.writeHead(302, { location: `${plain.url}/swapped.tgz` }).end();
    }, tls);
    // The binary trusts the test's certificate the way an operator's node would trust a private CA.
    const env = { NODE_EXTRA_CA_CERTS: join(certs, 'cert.pem') };
    const refused = await ws.run(['plugin', 'install', `${secure.url}/plugin.tgz`, '--yes', '--json'], { env });
    expect(refused.code).toBe(1);
    expect(jsonError(refused)).toMatchObject({
      code: 'DOWNLOAD_FAILED',
      message:
        `refusing the redirect from ${secure.url}/plugin.tgz to ${plain.url}/swapped.tgz: ` +
        `a download that started over https never continues over plain http`,
    });
    expect(plain.paths).toEqual([]);
    expect(await installedNames()).toEqual([]);
    // The same server without the downgrade installs: the refusal is the redirect's.
    await ws.ok(['plugin', 'install', `${secure.url}/direct.tgz`, '--yes'], { env });
    expect(await installedNames()).toEqual(['downgraded']);
  } finally {
    rmSync(certs, { recursive: true, force: true });
  }
});

test('a body over max_plugin_size without Content-Length is a clean refusal, in an install and in the middle of a sync', async () => {
  const body = packed('streamed');
  let flood = false;
  const server = await site((_request, response) => (flood ? endless(response, 12) : response.end(body)));
  await ws.prepare(['plugin', 'install', `${server.url}/streamed.tgz`, '--yes']);
  const lock = join(ws.root, 'fleet.lock.json');
  await ws.prepare(['plugin', 'export', '--output', lock]);
  flood = true;
  // Another host, which has to download it: the first one (and its lockfile) stays until the end.
  const first = ws;
  ws = workspace();
  try {
    const install = await ws.run(['plugin', 'install', `${server.url}/streamed.tgz`, '--yes', '--json']);
    expect(install.code).toBe(1);
    expect(jsonError(install)).toMatchObject({
      code: 'DOWNLOAD_FAILED',
      message: `${server.url}/streamed.tgz is over the ${10 * 1024 * 1024} bytes a plugin may be (the policy's max_plugin_size)`,
    });
    const sync = await ws.run(['plugin', 'sync', lock, '--json']);
    expect(sync.code).toBe(1);
    expect(jsonError(sync).message).toContain(`${server.url}/streamed.tgz is over the ${10 * 1024 * 1024} bytes a plugin may be`);
    expect(sync.stderr).not.toMatch(/\n\s+at /);
    expect(await installedNames()).toEqual([]);
    expect(stagingLeft()).toEqual([]);
  } finally {
    first.cleanup();
  }
});

test('a server that drips the archive a byte at a time is cut at MARATHON_DOWNLOAD_TIMEOUT_MS', async () => {
  const server = await site((_request, response) => {
    response.writeHead(200);
    const drip = setInterval(() => response.write('x'), 100);
    response.on('close', () => clearInterval(drip));
  });
  const began = Date.now();
  const outcome = await ws.run(['plugin', 'install', `${server.url}/slow.tgz`, '--yes', '--json'], {
    env: { MARATHON_DOWNLOAD_TIMEOUT_MS: '1500' },
  });
  expect(outcome.code).toBe(1);
  expect(jsonError(outcome)).toMatchObject({
    code: 'DOWNLOAD_FAILED',
    message: `${server.url}/slow.tgz was not downloaded within 1500 ms; on a slow link, raise MARATHON_DOWNLOAD_TIMEOUT_MS`,
  });
  expect(Date.now() - began).toBeLessThan(20_000);
  expect(stagingLeft()).toEqual([]);
}, 40_000);

test('a tarball host that is down is named (the redirect target, not the address typed)', async () => {
  const dead = await site(() => undefined);
  const deadHost = new URL(dead.url).host;
  await dead.close();
  const server = await site((_request, response) => void response.writeHead(302, { location: `${dead.url}/cdn/plugin.tgz` }).end());
  const outcome = await ws.run(['plugin', 'install', `${server.url}/plugin.tgz`, '--yes']);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain(
    `cannot reach ${deadHost} (ECONNREFUSED) to download ${server.url}/plugin.tgz (redirected to ${dead.url}/cdn/plugin.tgz)`,
  );
});
