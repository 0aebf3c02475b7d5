// `marathon ui`'s Browse (issue 20): search through `plugin search`'s own code path and install
// through the manager's install with the CLI's consent, against a real Verdaccio holding a plugin
// packed by plugin-kit and published with the real npm; the server in-process on port 0.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { PluginManager } from '@marathon/manager';
import { packPlugin } from '@marathon/plugin-kit';
import { NpmRegistryClient } from '@marathon/registry';
import { DEFAULT_POLICY } from '@marathon/security/trust';
import { startRegistry, type TestRegistry } from '@marathon/test-registry';
import { UI_SCRIPT } from '../src/ui/ui-script';
import { startUiServer, type RunningUiServer } from '../src/ui/ui-server';

const PLUGIN = 'weather-notifier';

let registry: TestRegistry;
let root: string;
let manager: PluginManager;
let server: RunningUiServer;

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { host: `127.0.0.1:${server.port}`, ...options.headers };
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

type PageHeaders = { cookie: string; origin: string; 'x-csrf-token': string };

/** A session's cookie and the headers a POST from the page carries. */
async function pageHeaders(): Promise<PageHeaders> {
  const exchanged = await new Promise<string>((resolve, reject) => {
    const path = `/${new URL(server.url).search}`;
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}` } }, (res) => {
      res.resume();
      resolve((res.headers['set-cookie']?.[0] ?? '').split(';')[0]!);
    });
    req.on('error', reject);
    req.end();
  });
  const session = await call('/api/session', { headers: { cookie: exchanged } });
  return { cookie: exchanged, origin: `http://127.0.0.1:${server.port}`, 'x-csrf-token': String(session.body.csrf_token) };
}

const post = (headers: Record<string, string>, body: unknown) =>
  call('/api/install', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const errorCode = (reply: Reply) => (reply.body.error as { code: string }).code;

beforeAll(async () => {
  registry = await startRegistry();
  const sources = mkdtempSync(join(tmpdir(), 'marathon-ui-browse-src-'));
  const folder = join(sources, PLUGIN);
  mkdirSync(folder);
  const manifest = {
    name: PLUGIN,
    version: '1.0.0',
    api_version: '1.0.0',
    description: 'Says when it rains',
    permissions: ['network'],
    network: { allowed_hosts: ['api.weather.example'] },
    hooks: [],
  };
  writeFileSync(join(folder, 'plugin.json'), JSON.stringify(manifest));
  writeFileSync(join(folder, 'index.js'), "import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({});\n");
  const packed = await packPlugin(folder, { outputDir: join(sources, 'out'), policy: { ...DEFAULT_POLICY }, trustedKeys: new Map() });
  registry.publish(packed.file);
  rmSync(sources, { recursive: true, force: true });
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'marathon-ui-browse-'));
  // HOME is the temp folder: no .npmrc of the machine running the tests is read.
  const npm = new NpmRegistryClient({ registry: registry.url, env: { HOME: root }, cwd: root, cacheDir: join(root, 'npm-cache') });
  manager = await PluginManager.open({ home: join(root, 'home'), builtInPlugins: [], cwd: root, env: { PATH: process.env.PATH }, npm });
  server = await startUiServer({ manager, npm, port: 0 });
});

afterEach(async () => {
  await server.close();
  await manager.close();
  rmSync(root, { recursive: true, force: true });
});

test('search is plugin search: it finds the published plugin, not installed, with the command that installs it', async () => {
  const { cookie } = await pageHeaders();
  const reply = await call('/api/search?text=weather&limit=5', { headers: { cookie } });
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({
    registry: `${registry.url}/`,
    results: [
      expect.objectContaining({ name: PLUGIN, version: '1.0.0', installed: null, install: `marathon plugin install npm:${PLUGIN}` }),
    ],
    unapplied_filters: [],
  });
});

test('filters search results cannot answer are named as not applied, and sort=name orders by name', async () => {
  const { cookie } = await pageHeaders();
  const reply = await call('/api/search?text=&sort=name&no_network=1&signed=1', { headers: { cookie } });
  expect(reply.status).toBe(200);
  expect((reply.body.results as Array<{ name: string }>).map((result) => result.name)).toEqual([PLUGIN]);
  expect((reply.body.unapplied_filters as Array<{ filter: string }>).map((unapplied) => unapplied.filter)).toEqual([
    'no_network',
    'signed',
  ]);
});

test('a bad limit or sort is refused with 400, and search takes GET only', async () => {
  const headers = await pageHeaders();
  for (const query of ['limit=0', 'limit=251', 'limit=ten', 'sort=downloads']) {
    const reply = await call(`/api/search?${query}`, { headers: { cookie: headers.cookie } });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('UI_BAD_REQUEST');
  }
  expect((await call('/api/search', { method: 'POST', headers })).status).toBe(405);
  expect((await call('/api/install', { headers: { cookie: headers.cookie } })).status).toBe(405);
});

test('install without consent is 409 with the CLI consent summary and installs nothing; with consent it installs', async () => {
  const headers = await pageHeaders();
  const asked = await post(headers, { name: PLUGIN, version: '1.0.0', consent: false });
  expect(asked.status).toBe(409);
  expect(errorCode(asked)).toBe('CONSENT_REQUIRED');
  const consent = asked.body.consent as { lines: string[]; question: string };
  expect(consent.lines[0]).toBe(`${PLUGIN} 1.0.0 asks for:`);
  expect(consent.lines.join('\n')).toContain('api.weather.example');
  expect(consent.question).toBe('Install it with these permissions?');
  expect(await manager.list()).toEqual([]);
  const installed = await post(headers, { name: PLUGIN, version: '1.0.0', consent: true });
  expect(installed.status).toBe(200);
  expect(installed.body.installed).toEqual(expect.objectContaining({ name: PLUGIN, version: '1.0.0', permissions: ['network'] }));
  expect((await manager.list()).map((plugin) => [plugin.name, plugin.version, plugin.status])).toEqual([[PLUGIN, '1.0.0', 'disabled']]);
  const found = await call(`/api/search?text=${PLUGIN}`, { headers: { cookie: headers.cookie } });
  expect((found.body.results as Array<{ installed: string | null }>)[0]?.installed).toBe('1.0.0');
}, 60_000);

test('the guards apply to install: no CSRF token or another Origin is 403 and installs nothing', async () => {
  const { cookie, origin, 'x-csrf-token': csrf } = await pageHeaders();
  expect(errorCode(await post({ cookie: cookie, origin: origin }, { name: PLUGIN, consent: true }))).toBe('UI_CSRF_REFUSED');
  expect(
    errorCode(await post({ cookie: cookie, origin: 'http://evil.example', 'x-csrf-token': csrf }, { name: PLUGIN, consent: true })),
  ).toBe('UI_CROSS_ORIGIN');
  expect(await manager.list()).toEqual([]);
});

test('a malformed install request is 400: no body, not JSON, a bad name, version or consent', async () => {
  const headers = await pageHeaders();
  const bodies = [
    undefined,
    { name: PLUGIN },
    { name: '../x', consent: true },
    { name: PLUGIN, version: '1 || 2', consent: true },
    { name: 7, consent: true },
  ];
  for (const body of bodies) {
    const reply = await post(headers, body);
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('UI_BAD_REQUEST');
  }
  const notJson = await call('/api/install', { method: 'POST', headers, body: '{name' });
  expect([notJson.status, errorCode(notJson)]).toEqual([400, 'UI_BAD_REQUEST']);
  const huge = await call('/api/install', { method: 'POST', headers, body: 'x'.repeat(70_000) });
  expect([huge.status, errorCode(huge)]).toEqual([413, 'UI_BAD_REQUEST']);
  expect(await manager.list()).toEqual([]);
});

test("an unknown package is the manager's refusal (404), as JSON with its code and message", async () => {
  const headers = await pageHeaders();
  const reply = await post(headers, { name: 'no-such-plugin-anywhere', consent: true });
  expect(reply.status).toBe(404);
  expect(reply.body.error).toEqual({
    code: 'PACKAGE_NOT_FOUND',
    message: `no package 'no-such-plugin-anywhere' in the registry ${registry.url}/: check the name, or --registry`,
    details: [],
  });
  expect(await manager.list()).toEqual([]);
});

test('the page script compiles, adds the Browse tab, and posts an install again only with consent', () => {
  expect(() => new Script(UI_SCRIPT)).not.toThrow();
  expect(UI_SCRIPT).toContain("element('button', 'Browse')");
  expect(UI_SCRIPT).toContain('install(name, version, true, area)');
});
