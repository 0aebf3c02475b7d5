// Issue 16: URL downloads go through the proxies npm would use — HTTPS_PROXY / HTTP_PROXY /
// NO_PROXY and the operator's `https-proxy` / `proxy` / `noproxy` — with npm's own agent; before,
// they ignored every proxy and connected directly. The registry (pacote) path uses the same
// settings. The proxy is a real one on 127.0.0.1 (local-proxy.ts) that records what it carried.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NpmRegistryClient, RegistryError, stageSource, type StageOptions } from '@marathon/registry';
import { readProxySettings, type ProxySettings } from '../src/npm-config';
import { packPlugin, selfSignedCertificate, serve, type TestServer } from './hostile-server';
import { startProxy, type LocalProxy } from './local-proxy';

let root: string;
let home: string;
let tls: { key: string; cert: string };
let proxy: LocalProxy;
const servers: TestServer[] = [];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'marathon-issue16-tls-'));
  tls = selfSignedCertificate(dir);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'marathon-issue16-proxy-'));
  home = join(root, 'home');
  mkdirSync(home);
  proxy = await startProxy();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await proxy.close();
  rmSync(root, { recursive: true, force: true });
});

async function archiveServer(secure: boolean): Promise<TestServer> {
  const body = readFileSync(packPlugin(root, 'proxied'));
  const server = await serve((_request, response) => response.end(body), secure ? tls : undefined);
  servers.push(server);
  return server;
}
/** The operator's environment, with only a temporary home and no machine-wide npmrc. */
const operatorEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  HOME: home,
  npm_config_globalconfig: join(root, 'no-global-npmrc'),
  ...extra,
});
const stage = (url: string, proxies: ProxySettings) =>
  stageSource(url, {
    paths: [],
    stagingDir: join(root, 'staging'),
    maxBytes: 64 * 1024,
    maxEntries: 100,
    download: { ca: tls.cert, proxy: proxies },
  } satisfies StageOptions);

test('an https download set to HTTPS_PROXY tunnels through it with CONNECT', async () => {
  const server = await archiveServer(true);
  const staged = await stage(`${server.url}/proxied.tgz`, readProxySettings(operatorEnv({ HTTPS_PROXY: proxy.url })));
  expect(staged).toMatchObject({ kind: 'url', spec: `${server.url}/proxied.tgz` });
  expect(proxy.seen).toEqual([`CONNECT ${new URL(server.url).host}`]);
});

test("a plain-http download goes through the .npmrc's https-proxy, sending it the absolute URL", async () => {
  writeFileSync(join(home, '.npmrc'), `https-proxy=${proxy.url}\n`);
  const server = await archiveServer(false);
  await stage(`${server.url}/proxied.tgz`, readProxySettings(operatorEnv({})));
  expect(proxy.seen).toEqual([`GET ${server.url}/proxied.tgz`]);
  expect(server.seen.map((entry) => entry.path)).toEqual(['/proxied.tgz']);
});

test('HTTP_PROXY and npm_config_proxy serve http downloads; credentials in the proxy URL reach the proxy only', async () => {
  const server = await archiveServer(false);
  await stage(`${server.url}/a.tgz`, readProxySettings(operatorEnv({ HTTP_PROXY: proxy.url })));
  const withCredentials = new URL(proxy.url);
  withCredentials.username = 'ops';
  withCredentials.password = 'proxy-pass';
  await stage(`${server.url}/b.tgz`, readProxySettings(operatorEnv({ npm_config_proxy: withCredentials.href })));
  expect(proxy.seen).toEqual([`GET ${server.url}/a.tgz`, `GET ${server.url}/b.tgz`]);
  expect(proxy.credentials).toEqual([`Basic ${Buffer.from('ops:proxy-pass').toString('base64')}`]);
});

test('NO_PROXY (or noproxy) sends a host around the proxy', async () => {
  const server = await archiveServer(true);
  await stage(`${server.url}/proxied.tgz`, readProxySettings(operatorEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })));
  writeFileSync(join(home, '.npmrc'), `https-proxy=${proxy.url}\nnoproxy=127.0.0.1\n`);
  await stage(`${server.url}/proxied.tgz`, readProxySettings(operatorEnv({})));
  expect(proxy.seen).toEqual([]);
  expect(server.seen).toHaveLength(2);
});

test('a proxy that cannot be reached is named, not the host behind it', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as { port: number };
  await new Promise((resolve) => holder.close(resolve));
  const server = await archiveServer(true);
  const error = await stage(`${server.url}/proxied.tgz`, { https: `http://127.0.0.1:${port}` }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RegistryError);
  expect(error).toMatchObject({
    code: 'DOWNLOAD_FAILED',
    message: expect.stringContaining(`cannot reach the proxy 127.0.0.1:${port} (ECONNREFUSED)`),
  });
});

test('the registry client (pacote) goes through the same proxy settings', async () => {
  const packument = {
    name: 'proxied-plugin',
    versions: { '1.0.0': { name: 'proxied-plugin', version: '1.0.0' } },
    'dist-tags': { latest: '1.0.0' },
  };
  const registry = await serve((_request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument)),
  );
  servers.push(registry);
  writeFileSync(join(home, '.npmrc'), `proxy=${proxy.url}\n`);
  const client = new NpmRegistryClient({ cacheDir: join(root, 'cache'), registry: `${registry.url}/`, env: operatorEnv({}) });
  expect((await client.versions('proxied-plugin')).map((entry) => entry.version)).toEqual(['1.0.0']);
  expect(proxy.seen).toEqual([`GET ${registry.url}/proxied-plugin`]);
});
