// Issue 16: `plugin install <url>` goes through the proxy npm would use. The registry's tests prove
// it for the download function with settings passed in; this one runs the real binary with nothing
// but the environment an operator behind a proxy has: HTTP_PROXY set, NO_PROXY empty (set, so that
// none of the machine's own NO_PROXY lets loopback bypass the proxy: npm's agent has no default
// exemption, and an empty value counts as unset). The archive server and the proxy are on
// 127.0.0.1; the proxy forwards plain-http requests (an absolute URL in the request line) and
// records them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { heldServer, type HeldServer } from './held-download';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

interface ForwardProxy {
  url: string;
  /** The request line of each request it forwarded: `GET http://127.0.0.1:…/…`. */
  forwarded: string[];
  close(): Promise<void>;
}

async function forwardProxy(): Promise<ForwardProxy> {
  const forwarded: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    forwarded.push(`${incoming.method} ${incoming.url}`);
    const upstream = forward(new URL(incoming.url ?? ''), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.once('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let ws: Workspace;
let archive: HeldServer;
let proxy: ForwardProxy;
beforeEach(async () => {
  ws = workspace();
  const parent = mkdtempSync(join(ws.root, 'pack-'));
  writePluginFolder(parent, { name: 'proxied', body: '{}' });
  execFileSync('tar', ['czf', join(parent, 'proxied.tgz'), '-C', parent, 'proxied']);
  archive = await heldServer(join(parent, 'proxied.tgz'), 'proxied-1.0.0.tgz');
  proxy = await forwardProxy();
});
afterEach(async () => {
  await Promise.all([archive.close(), proxy.close()]);
  ws.cleanup();
});

const installed = async () =>
  (
    JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout) as {
      plugins: Array<{ name: string; source: { kind: string; spec: string } }>;
    }
  ).plugins;

test('plugin install <http url> with HTTP_PROXY set downloads through the proxy, and installs', async () => {
  await ws.ok(['plugin', 'install', archive.url, '--yes', '--json'], { env: { HTTP_PROXY: proxy.url, NO_PROXY: '', no_proxy: '' } });
  expect(proxy.forwarded).toEqual([`GET ${archive.url}`]);
  expect(await installed()).toEqual([
    expect.objectContaining({ name: 'proxied', source: expect.objectContaining({ kind: 'url', spec: archive.url }) }),
  ]);
});

test('NO_PROXY naming the host sends the same download around the proxy', async () => {
  await ws.ok(['plugin', 'install', archive.url, '--yes', '--json'], { env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
  expect(proxy.forwarded).toEqual([]);
  expect((await installed()).map((plugin) => plugin.name)).toEqual(['proxied']);
});
