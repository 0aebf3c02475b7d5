// Issue 14 (9): URL downloads against servers on 127.0.0.1 that misbehave on purpose. An https
// download was followed to plain http; a body over the limit without Content-Length crashed the
// process with an unhandled stream error and left staging behind; a server dripping bytes held an
// install for as long as it liked; an unreachable host was not named.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError, stageSource, type StageOptions } from '@marathon/registry';
import { downloadTimeoutFromEnv } from '../src/url-download';
import { packPlugin, selfSignedCertificate, serve, type TestServer } from './hostile-server';

let root: string;
let staging: string;
const servers: TestServer[] = [];
let tls: { key: string; cert: string };

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'marathon-issue14-tls-'));
  tls = selfSignedCertificate(dir);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-issue14-url-'));
  staging = join(root, 'staging');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  rmSync(root, { recursive: true, force: true });
});

// Trust the test's certificate for these downloads only, and no proxy from the machine's settings.
const options = (extra: Partial<StageOptions> = {}): StageOptions => ({
  paths: [],
  stagingDir: staging,
  maxBytes: 64 * 1024,
  maxEntries: 100,
  ...extra,
  download: { ca: tls.cert, proxy: {}, ...extra.download },
});
async function started(server: Promise<TestServer>): Promise<TestServer> {
  servers.push(await server);
  return servers[servers.length - 1]!;
}
async function refusal(request: string, extra: Partial<StageOptions> = {}): Promise<RegistryError> {
  const outcome = await stageSource(request, options(extra)).catch((error: unknown) => error);
  expect(outcome).toBeInstanceOf(RegistryError);
  // Whatever failed, nothing is left in staging.
  expect(readdirSync(staging)).toEqual([]);
  return outcome as RegistryError;
}
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('downloads over https from a server it trusts (the setup the other tests rely on)', async () => {
  const body = readFileSync(packPlugin(root, 'secure'));
  const secure = await started(serve((_request, response) => response.end(body), tls));
  const staged = await stageSource(`${secure.url}/secure.tgz`, options());
  expect(staged).toMatchObject({ kind: 'url', spec: `${secure.url}/secure.tgz` });
});

it('refuses a redirect from https to plain http, before asking the http server anything', async () => {
  const body = readFileSync(packPlugin(root, 'swapped'));
  const plain = await started(serve((_request, response) => response.end(body)));
  const secure = await started(
    serve((_request, response) => {
      response.writeHead(302, { location: `${plain.url}/swapped.tgz` }).end();
    }, tls),
  );
  const error = await refusal(`${secure.url}/plugin.tgz`);
  expect(error).toMatchObject({
    code: 'DOWNLOAD_FAILED',
    message:
      `refusing the redirect from ${secure.url}/plugin.tgz to ${plain.url}/swapped.tgz: ` +
      `a download that started over https never continues over plain http`,
  });
  expect(plain.seen).toEqual([]);
});

it('refuses a body over the limit sent without Content-Length as a RegistryError, not a crash', async () => {
  const server = await started(
    serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024, 7);
      for (let sent = 0; sent < 256 * 1024; sent += chunk.length) response.write(chunk);
      response.end();
    }),
  );
  const error = await refusal(`${server.url}/huge.tgz`);
  expect(error).toMatchObject({
    code: 'DOWNLOAD_FAILED',
    message: `${server.url}/huge.tgz is over the 65536 bytes a plugin may be (the policy's max_plugin_size)`,
  });
});

it('cuts a server that drips the body a byte at a time at the overall deadline', async () => {
  let drip: NodeJS.Timeout | undefined;
  const server = await started(
    serve((_request, response) => {
      response.writeHead(200);
      drip = setInterval(() => response.write('x'), 50);
      response.on('close', () => clearInterval(drip));
    }),
  );
  const began = Date.now();
  const error = await refusal(`${server.url}/slow.tgz`, { download: { deadlineMs: 800, idleMs: 400 } });
  clearInterval(drip);
  expect(error).toMatchObject({
    code: 'DOWNLOAD_FAILED',
    message: `${server.url}/slow.tgz was not downloaded within 800 ms; on a slow link, raise MARATHON_DOWNLOAD_TIMEOUT_MS`,
  });
  // The drip kept the idle clock from firing; only the deadline could end it.
  expect(Date.now() - began).toBeLessThan(10_000);
});

it('cuts a server that accepts the request and never answers at the idle timeout', async () => {
  const server = await started(serve(() => undefined));
  const error = await refusal(`${server.url}/silent.tgz`, { download: { deadlineMs: 20_000, idleMs: 300 } });
  expect(error).toMatchObject({
    code: 'DOWNLOAD_FAILED',
    message: `${new URL(server.url).host} sent nothing for 300 ms while ${server.url}/silent.tgz was downloading`,
  });
});

it('names the host that could not be reached, also when it is a redirect target', async () => {
  const port = await closedPort();
  const direct = await refusal(`http://127.0.0.1:${port}/gone.tgz`);
  expect(direct.message).toBe(
    `cannot reach 127.0.0.1:${port} (ECONNREFUSED) to download http://127.0.0.1:${port}/gone.tgz: ` +
      `check the address, and that the server is up and reachable from here`,
  );
  const server = await started(
    serve((_request, response) => void response.writeHead(302, { location: `http://127.0.0.1:${port}/cdn.tgz` }).end()),
  );
  const redirected = await refusal(`${server.url}/plugin.tgz`);
  expect(redirected.message).toContain(
    `cannot reach 127.0.0.1:${port} (ECONNREFUSED) to download ${server.url}/plugin.tgz (redirected to http://127.0.0.1:${port}/cdn.tgz)`,
  );
});

it('stops a redirect loop', async () => {
  const server = await started(serve((request, response) => void response.writeHead(301, { location: `${request.url}x` }).end()));
  const error = await refusal(`${server.url}/a`);
  expect(error.message).toBe(`${server.url}/a redirected more than 5 times`);
  expect(server.seen).toHaveLength(6);
});

it('refuses a MARATHON_DOWNLOAD_TIMEOUT_MS that means nothing', () => {
  expect(downloadTimeoutFromEnv({})).toBeUndefined();
  expect(downloadTimeoutFromEnv({ MARATHON_DOWNLOAD_TIMEOUT_MS: '1500' })).toBe(1500);
  for (const value of ['0', '2s', '-1']) {
    expect(() => downloadTimeoutFromEnv({ MARATHON_DOWNLOAD_TIMEOUT_MS: value })).toThrow(
      expect.objectContaining({ code: 'SETTING_INVALID' }),
    );
  }
});
