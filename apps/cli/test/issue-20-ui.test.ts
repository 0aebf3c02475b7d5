// `marathon ui` (issue 20) through the real binary: it prints the one-time URL, the URL opens a
// session (the cookie carried by hand, as a browser would), the API lists an installed plugin, and
// Ctrl-C (SIGINT) stops the server with exit code 0.
import { spawn } from 'node:child_process';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { installPluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(async () => {
  ws = workspace();
  await installPluginFolder(ws, { name: 'greeter', body: '{}' });
});
afterEach(() => ws.cleanup());

test('marathon ui --port 0 prints its URL, serves the API to the session the token opens, and exits 0 on SIGINT', async () => {
  const child = spawn(process.execPath, [BINARY, 'ui', '--port', '0'], {
    cwd: ws.root,
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /Marathon UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})\n/.exec(stdout);
      if (match !== null) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`marathon ui exited ${code} before printing its URL:\n${stderr}${stdout}`)));
  });

  const opened = await fetch(url, { redirect: 'manual' });
  expect(opened.status).toBe(303);
  expect(opened.headers.get('location')).toBe('/');
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^marathon_ui_session=[0-9a-f]{64}$/);
  expect((await fetch(url, { redirect: 'manual' })).status).toBe(403);

  const plugins = await fetch(new URL('/api/plugins', url), { headers: { cookie } });
  expect(plugins.status).toBe(200);
  expect(plugins.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(await plugins.json()).toEqual({ plugins: [expect.objectContaining({ name: 'greeter', status: 'enabled' })] });

  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(stderr).toBe('');
});
