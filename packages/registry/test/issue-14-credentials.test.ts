// Issue 14 (7): credentials go only to the exact origin (scheme, host, port) they were configured
// for, redirects included, and every message is redacted. (The CLI test issue-14-credentials runs
// the redirect through the binary.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowedCredentials, credentialGuard, originOf } from '../src/credential-guard';
import { readNpmConfig } from '../src/npm-config';
import { NpmRegistryClient } from '../src/npm-registry-client';
import { redact } from '../src/npm-secrets';

interface Recorder {
  server: Server;
  port: number;
  seen: Array<{ url: string; headers: IncomingHttpHeaders }>;
}

async function recorder(
  answer: (url: string) => { status: number; headers?: Record<string, string>; body?: string | Buffer } = () => ({
    status: 200,
    body: 'ok',
  }),
): Promise<Recorder> {
  const seen: Recorder['seen'] = [];
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    const { status, headers, body } = answer(request.url ?? '');
    response.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

const close = (server: Server) =>
  new Promise<void>((resolvePromise) => (server.closeAllConnections(), server.close(() => resolvePromise())));

describe('redact', () => {
  const secrets = { secrets: ['tok-123456'] };
  test.each([
    ['a configured token', 'refused tok-123456 at the door', 'refused *** at the door'],
    ["a URL's user:password", 'cannot reach http://ops:hunter22@127.0.0.1:9/x', 'cannot reach http://***@127.0.0.1:9/x'],
    ['a token as the URL user', 'GET https://ghp_abcdef@npm.example/', 'GET https://***@npm.example/'],
    [
      'query credentials',
      'https://cdn.example/n.tgz?X-Amz-Signature=abc&size=1&access_token=def',
      'https://cdn.example/n.tgz?X-Amz-Signature=***&size=1&access_token=***',
    ],
    ['an .npmrc auth line', '//npm.example/:_authToken=other-token', '//npm.example/:_authToken=***'],
    ['an Authorization header', 'authorization: Bearer abcdefgh123', 'authorization: Bearer ***'],
  ])('hides %s', (_what, text, shown) => {
    expect(redact(text, secrets)).toBe(shown);
  });

  test('leaves ordinary text alone', () => {
    expect(redact('no package notes in https://registry.npmjs.org/ (keywords:marathon-plugin)', secrets)).toBe(
      'no package notes in https://registry.npmjs.org/ (keywords:marathon-plugin)',
    );
  });
});

describe('allowedCredentials', () => {
  test('each credential belongs to one origin: its registry scheme, host and port', () => {
    const settings = readNpmConfig({
      registry: 'https://npm.example/',
      env: { HOME: '/nonexistent', NPM_CONFIG_USERCONFIG: '/nonexistent/.npmrc' },
    });
    settings.options['//npm.example/:_authToken'] = 'tok-a';
    settings.options['@acme:registry'] = 'http://127.0.0.1:4873/';
    settings.options['//127.0.0.1:4873/:_authToken'] = 'tok-b';
    settings.options['//cdn.example:8443/files/:_authToken'] = 'tok-c';
    const allowed = allowedCredentials(settings);
    expect(Object.fromEntries([...allowed].map(([origin, headers]) => [origin, [...headers]]))).toEqual({
      'https://npm.example:443': ['Bearer tok-a'],
      'http://127.0.0.1:4873': ['Bearer tok-b'],
      'https://cdn.example:8443': ['Bearer tok-c'],
    });
    expect(originOf('HTTPS:', '[::1]', '')).toBe('https://::1:443');
  });
});

describe('the guard agent', () => {
  let registry: Recorder;
  let other: Recorder;
  beforeAll(async () => {
    registry = await recorder();
    other = await recorder();
  });
  afterAll(async () => {
    await close(registry.server);
    await close(other.server);
  });
  beforeEach(() => {
    registry.seen.length = 0;
    other.seen.length = 0;
  });

  function send(url: string, agentFor: ReturnType<typeof credentialGuard>, authorization: string): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      const target = new URL(url);
      const request = httpRequest(target, { agent: agentFor(target), headers: { authorization } }, (response) =>
        response.resume().on('end', () => resolvePromise()),
      );
      request.on('error', reject).end();
    });
  }

  test('keeps a token for its origin, drops it for another port of the same host, and over another scheme', async () => {
    const settings = readNpmConfig({ registry: `http://127.0.0.1:${registry.port}/`, env: { HOME: '/nonexistent' } });
    settings.options[`//127.0.0.1:${registry.port}/:_authToken`] = 'tok-1';
    const guard = credentialGuard(settings, { timeout: 5000 });
    await send(`http://127.0.0.1:${registry.port}/notes`, guard, 'Bearer tok-1');
    await send(`http://127.0.0.1:${other.port}/notes.tgz`, guard, 'Bearer tok-1');
    expect(registry.seen[0]!.headers.authorization).toBe('Bearer tok-1');
    expect(other.seen[0]!.headers.authorization).toBeUndefined();

    // Configured for https on that port: the same token over plain http is dropped.
    const secure = readNpmConfig({ registry: `https://127.0.0.1:${registry.port}/`, env: { HOME: '/nonexistent' } });
    secure.options[`//127.0.0.1:${registry.port}/:_authToken`] = 'tok-1';
    await send(`http://127.0.0.1:${registry.port}/notes`, credentialGuard(secure, { timeout: 5000 }), 'Bearer tok-1');
    expect(registry.seen[1]!.headers.authorization).toBeUndefined();
  });

  test('a header that is not the one configured for the origin is dropped too', async () => {
    const settings = readNpmConfig({ registry: `http://127.0.0.1:${registry.port}/`, env: { HOME: '/nonexistent' } });
    settings.options[`//127.0.0.1:${registry.port}/:_authToken`] = 'tok-1';
    await send(`http://127.0.0.1:${registry.port}/notes`, credentialGuard(settings, { timeout: 5000 }), 'Bearer someone-elses');
    expect(registry.seen[0]!.headers.authorization).toBeUndefined();
  });
});

describe('NpmRegistryClient', () => {
  test('a packument redirect to another port of the same host carries no token', async () => {
    const other = await recorder(() => ({ status: 404, body: '{}' }));
    const registry = await recorder(() => ({ status: 302, headers: { location: `http://127.0.0.1:${other.port}/notes` } }));
    const dir = mkdtempSync(join(tmpdir(), 'issue14-client-'));
    try {
      writeFileSync(
        join(dir, '.npmrc'),
        `registry=http://127.0.0.1:${registry.port}/\n//127.0.0.1:${registry.port}/:_authToken=tok-redirect\n`,
      );
      const client = new NpmRegistryClient({ cacheDir: join(dir, 'cache'), cwd: dir, env: { HOME: dir } });
      await expect(client.versions('notes')).rejects.toMatchObject({ code: 'PACKAGE_NOT_FOUND' });
      expect(registry.seen[0]!.headers.authorization).toBe('Bearer tok-redirect');
      expect(other.seen.length).toBeGreaterThan(0);
      expect(other.seen.map((seen) => seen.headers.authorization)).toEqual(other.seen.map(() => undefined));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await close(registry.server);
      await close(other.server);
    }
  });
});
