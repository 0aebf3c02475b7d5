// `marathon ui`'s server (issue 20), in-process on port 0 against a PluginManager on a temp
// MARATHON_HOME: the one-time token, the session cookie, Host/Origin/CSRF refusals, the security
// headers on every response, the JSON API, and plugin text that stays text.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginManager } from '@marathon/manager';
import { CONTENT_SECURITY_POLICY } from '../src/ui/response-headers';
import { UI_SCRIPT } from '../src/ui/ui-script';
import { UiError } from '../src/ui/ui-error';
import { startUiServer, type RunningUiServer } from '../src/ui/ui-server';

const INJECTION = '<script>alert(1)</script>';

let root: string;
let manager: PluginManager;
let server: RunningUiServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request (fetch would not let a test set Host or Origin). */
function call(path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { host: `127.0.0.1:${server.port}`, ...options.headers };
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function tokenPath(): string {
  return `/${new URL(server.url).search}`;
}

/** Exchanges the printed token; returns the Cookie header value of the session. */
async function login(): Promise<string> {
  const reply = await call(tokenPath());
  expect(reply.status).toBe(303);
  const setCookie = reply.headers['set-cookie']?.[0] ?? '';
  return setCookie.split(';')[0]!;
}

async function csrfToken(cookie: string): Promise<string> {
  const reply = await call('/api/session', { headers: { cookie } });
  return (JSON.parse(reply.body) as { csrf_token: string }).csrf_token;
}

function expectSecurityHeaders(reply: Reply): void {
  expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(reply.headers['x-content-type-options']).toBe('nosniff');
  expect(reply.headers['referrer-policy']).toBe('no-referrer');
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'marathon-ui-'));
  const plugins = join(root, 'plugins');
  const folder = join(plugins, 'greeter');
  mkdirSync(folder, { recursive: true });
  const manifest = {
    name: 'greeter',
    version: '1.0.0',
    api_version: '1.0.0',
    description: `Says hi ${INJECTION}`,
    permissions: [],
    hooks: [],
  };
  writeFileSync(join(folder, 'plugin.json'), JSON.stringify(manifest));
  writeFileSync(join(folder, 'index.js'), "import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({});\n");
  manager = await PluginManager.open({ home: join(root, 'home'), builtInPlugins: [plugins], cwd: root, env: { PATH: process.env.PATH } });
  await manager.install('greeter', { yes: true });
  server = await startUiServer({ manager, port: 0 });
});

afterEach(async () => {
  await server.close();
  await manager.close();
  rmSync(root, { recursive: true, force: true });
});

test('the printed URL is on 127.0.0.1 with a 32-byte hex token', () => {
  expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[0-9a-f]{64}$`));
});

test('without a session every path is 401, as a page that says to open the printed URL', async () => {
  for (const path of ['/', '/api/plugins', '/ui.js']) {
    const reply = await call(path);
    expect(reply.status).toBe(401);
    expectSecurityHeaders(reply);
  }
  const page = await call('/');
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  expect(page.body).toContain('open the URL that marathon ui printed');
  expect(JSON.parse((await call('/api/plugins')).body)).toEqual({
    error: { code: 'UI_NO_SESSION', message: expect.any(String) as unknown },
  });
});

test('a wrong token and a forged cookie open no session', async () => {
  const wrong = await call(`/?token=${'0'.repeat(64)}`);
  expect(wrong.status).toBe(403);
  expect(wrong.headers['set-cookie']).toBeUndefined();
  expect((await call('/api/plugins', { headers: { cookie: `marathon_ui_session=${'0'.repeat(64)}` } })).status).toBe(401);
});

test('the token opens one session: an HttpOnly SameSite=Strict cookie, a redirect to / without it, and a second use is refused', async () => {
  const first = await call(tokenPath());
  expect(first.status).toBe(303);
  expect(first.headers.location).toBe('/');
  expect(first.headers['set-cookie']?.[0]).toMatch(/^marathon_ui_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/);
  expectSecurityHeaders(first);
  const again = await call(tokenPath());
  expect(again.status).toBe(403);
  expect(again.body).toContain('already used');
  const cookie = first.headers['set-cookie']![0]!.split(';')[0]!;
  const page = await call('/', { headers: { cookie } });
  expect(page.status).toBe(200);
  expectSecurityHeaders(page);
});

test('a Host other than 127.0.0.1:<port> or localhost:<port> is refused (DNS rebinding), even with the token or a session', async () => {
  const cookie = await login();
  for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`]) {
    const reply = await call('/api/plugins', { headers: { host, cookie } });
    expect(reply.status).toBe(421);
    expectSecurityHeaders(reply);
  }
  expect((await call('/api/plugins', { headers: { host: `localhost:${server.port}`, cookie } })).status).toBe(200);
});

test('the rebinding refusal comes before the token is spent', async () => {
  expect((await call(tokenPath(), { headers: { host: 'evil.example' } })).status).toBe(421);
  expect((await call(tokenPath())).status).toBe(303);
});

test('a POST without the CSRF token, with a wrong one, or from another Origin is 403 and changes nothing', async () => {
  const cookie = await login();
  const csrf = await csrfToken(cookie);
  const origin = `http://127.0.0.1:${server.port}`;
  const attempts: Array<[Record<string, string>, string]> = [
    [{ cookie, origin }, 'UI_CSRF_REFUSED'],
    [{ cookie, origin, 'x-csrf-token': 'f'.repeat(64) }, 'UI_CSRF_REFUSED'],
    [{ cookie, origin: 'http://evil.example', 'x-csrf-token': csrf }, 'UI_CROSS_ORIGIN'],
    [{ cookie, origin: `http://127.0.0.1:${server.port + 1}`, 'x-csrf-token': csrf }, 'UI_CROSS_ORIGIN'],
    [{ cookie, 'x-csrf-token': csrf }, 'UI_CROSS_ORIGIN'],
  ];
  for (const [headers, code] of attempts) {
    const reply = await call('/api/plugins/greeter/enable', { method: 'POST', headers });
    expect(reply.status).toBe(403);
    expect((JSON.parse(reply.body) as { error: { code: string } }).error.code).toBe(code);
    expectSecurityHeaders(reply);
  }
  expect((await manager.list())[0]!.status).toBe('disabled');
});

test('a POST from the page (its Origin and CSRF token) enables and disables the plugin', async () => {
  const cookie = await login();
  const headers = { cookie, origin: `http://localhost:${server.port}`, 'x-csrf-token': await csrfToken(cookie) };
  const enabled = await call('/api/plugins/greeter/enable', { method: 'POST', headers });
  expect(enabled.status).toBe(200);
  expect(JSON.parse(enabled.body)).toEqual({ enabled: ['greeter'] });
  expect((await manager.list())[0]!.status).toBe('enabled');
  const disabled = await call('/api/plugins/greeter/disable', { method: 'POST', headers });
  expect(JSON.parse(disabled.body)).toEqual({ disabled: ['greeter'] });
  const missing = await call('/api/plugins/nobody/enable', { method: 'POST', headers });
  expect(missing.status).toBe(404);
  expect((JSON.parse(missing.body) as { error: { code: string } }).error.code).toBe('NOT_INSTALLED');
});

test('the API lists the installed plugin, its details, performance and activity', async () => {
  const cookie = await login();
  const get = async (path: string): Promise<unknown> => {
    const reply = await call(path, { headers: { cookie } });
    expect(reply.status).toBe(200);
    expectSecurityHeaders(reply);
    return JSON.parse(reply.body);
  };
  expect(await get('/api/plugins')).toEqual({
    plugins: [
      expect.objectContaining({
        name: 'greeter',
        version: '1.0.0',
        status: 'disabled',
        permissions: [],
        description: `Says hi ${INJECTION}`,
      }),
    ],
  });
  expect(await get('/api/plugins/greeter')).toEqual(
    expect.objectContaining({
      plugin: expect.objectContaining({ name: 'greeter' }) as unknown,
      settings: expect.anything() as unknown,
      authority: expect.objectContaining({ plugin: 'greeter' }) as unknown,
    }),
  );
  expect(await get('/api/performance')).toEqual(expect.objectContaining({ plugins: [expect.objectContaining({ plugin: 'greeter' })] }));
  expect(await get('/api/activity')).toEqual({ events: expect.any(Array) as unknown });
  expect((await call('/api/nothing', { headers: { cookie } })).status).toBe(404);
});

test("a plugin's description comes back JSON-escaped, and the page's script never writes HTML", async () => {
  const cookie = await login();
  const reply = await call('/api/plugins', { headers: { cookie } });
  expect(reply.body).not.toContain('<script>');
  expect(reply.body).toContain('\\u003cscript>alert(1)\\u003c/script>');
  const script = await call('/ui.js', { headers: { cookie } });
  expect(script.body).toBe(UI_SCRIPT);
  expect(script.headers['content-type']).toMatch(/^text\/javascript/);
  expect(UI_SCRIPT).toContain('textContent');
  expect(UI_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
});

test('the page loads only its own script and style, and links nothing outside the server', async () => {
  const cookie = await login();
  const page = await call('/', { headers: { cookie } });
  expect(page.body).toContain('<script src="/ui.js" defer></script>');
  expect(page.body).not.toMatch(/https?:\/\//);
  expect(page.body).not.toMatch(/<script>|<style>| on[a-z]+=/);
});

test('a path that is not there, a change to a page and a malformed plugin name are refused with what to do', async () => {
  const cookie = await login();
  const headers = { cookie, origin: `http://127.0.0.1:${server.port}`, 'x-csrf-token': await csrfToken(cookie) };
  const missing = await call('/elsewhere', { headers: { cookie } });
  expect(missing.status).toBe(404);
  expect(missing.body).toContain('the page is at /');
  expect((await call('/ui.js', { method: 'POST', headers })).status).toBe(405);
  const malformed = await call('/api/plugins/%E0%A4%A', { headers: { cookie } });
  expect(malformed.status).toBe(400);
  expect((JSON.parse(malformed.body) as { error: { code: string } }).error.code).toBe('UI_BAD_REQUEST');
});

test('a port already in use is refused with the flag that picks another', async () => {
  const refusal = startUiServer({ manager, port: server.port });
  await expect(refusal).rejects.toBeInstanceOf(UiError);
  await expect(refusal).rejects.toMatchObject({ code: 'UI_PORT_UNAVAILABLE', message: expect.stringContaining('--port 0') as unknown });
});

test('a plugin in error (quarantined) is listed with status error and its reason', async () => {
  await manager.store.transaction(async (state) => {
    state.plugins.greeter!.status = 'error';
    state.plugins.greeter!.error = 'quarantined: 5 faults in 60 s';
  });
  const cookie = await login();
  const reply = await call('/api/plugins', { headers: { cookie } });
  expect(JSON.parse(reply.body)).toEqual({
    plugins: [expect.objectContaining({ name: 'greeter', status: 'error', error: 'quarantined: 5 faults in 60 s' })],
  });
});
