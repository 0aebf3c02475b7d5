// Issue 19, through the binary: an operator points a signed webhook plugin at their own server by
// widening its hosts and, for this plugin only, private-network access — refused without consent
// (no terminal, no --yes), granted with --yes — then narrows it again without being asked. The
// plugin's files and signature stay as installed, every change is in the audit trail, plugin info
// shows it beside plugin.json, and export → sync gives a fresh home the same behaviour.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => request.resume().on('end', () => response.end('ok')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

/** Writes, signs and installs the poster plugin (author's host: hooks.example.com); trusts its key in `homes`. */
async function installSignedPoster(homes: readonly string[]): Promise<void> {
  const key = JSON.parse((await ws.prepare(['keys', 'generate', '--out', join(ws.root, 'author'), '--name', 'me', '--json'])).stdout) as {
    private_key: string;
    public_key: string;
  };
  const folder = writePluginFolder(ws.plugins, {
    name: 'poster',
    permissions: ['network'],
    manifest: { network: { allowed_hosts: ['hooks.example.com'] } },
    commands: [{ name: 'post', usage: '<url>' }],
    body:
      '{ commands: { post: async (ctx, args) => { try { const r = await ctx.net.fetch(args[0], { method: "POST", body: "{}" }); ' +
      'return "status " + r.status; } catch (e) { return "refused: " + e.message; } } } }',
  });
  await ws.prepare(['plugin', 'sign', folder, '--key', key.private_key]);
  for (const home of homes) await ws.prepare(['keys', 'add', key.public_key], { env: { MARATHON_HOME: home } });
  await ws.ok(['plugin', 'install', folder, '--yes', '--enable']);
}

const post = async (home = ws.home): Promise<string> => (await ws.ok(['poster', 'post', url], { env: { MARATHON_HOME: home } })).stdout;

test('widen only with consent, narrow without, files and signature untouched, audited, shown by info, carried by export and sync', async () => {
  const fresh = join(ws.root, 'fresh-home');
  await installSignedPoster([ws.home, fresh]);
  expect(await post()).toMatch(/^refused: .*127\.0\.0\.1.*not in network\.allowed_hosts/);

  // No terminal and no --yes: the widening is refused, and nothing changes.
  const state = readFileSync(join(ws.home, 'state.json'), 'utf8');
  const refused = await ws.run(['plugin', 'authority', 'poster', '--hosts', '127.0.0.1', '--private-network', 'on']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    "❌ widening what plugin 'poster' may do needs your consent: on a terminal you are asked; otherwise add --yes",
  );
  expect(refused.stderr).toContain('hosts it may reach: + 127.0.0.1');
  expect(refused.stderr).toContain('private-network access: on');
  expect(readFileSync(join(ws.home, 'state.json'), 'utf8')).toBe(state);

  const granted = await ws.ok(['plugin', 'authority', 'poster', '--hosts', '127.0.0.1', '--private-network', 'on', '--yes']);
  expect(granted.stdout).toContain('✅ poster: what it may do changed (recorded in the audit trail)');
  expect(granted.stdout).toContain('hosts            127.0.0.1  (set by the operator; plugin.json / host default: hooks.example.com)');
  expect(await post()).toBe('status 200\n');

  const info = (await ws.ok(['plugin', 'info', 'poster'])).stdout;
  expect(info).toContain("Operator's changes (plugin.json → this host):");
  expect(info).toContain('allowed_hosts     hooks.example.com → 127.0.0.1');
  expect(info).toContain('private_network   false → true');
  const verify = await ws.ok(['plugin', 'verify', 'poster', '--json']);
  expect(JSON.parse(verify.stdout)).toMatchObject({ plugins: [{ name: 'poster', integrity: 'ok', signature: 'valid' }] });

  // The fleet: export here, sync onto a fresh home, where the plugin behaves the same.
  const lock = join(ws.root, 'fleet.lock.json');
  await ws.ok(['plugin', 'export', '--output', lock]);
  expect(JSON.parse(readFileSync(lock, 'utf8')).plugins.poster.authority).toEqual({ allowed_hosts: ['127.0.0.1'], private_network: true });
  await ws.ok(['plugin', 'sync', lock], { env: { MARATHON_HOME: fresh } });
  expect(await post(fresh)).toBe('status 200\n');

  // Narrowing asks nothing, even without a terminal.
  await ws.ok(['plugin', 'authority', 'poster', '--hosts', '']);
  expect(await post()).toMatch(/^refused: /);
  const audit = JSON.parse((await ws.ok(['plugin', 'audit', 'poster', '--json'])).stdout) as {
    audit: Array<{ capability: string; target: string }>;
  };
  expect(audit.audit.filter((entry) => entry.capability === 'authority').map((entry) => entry.target)).toEqual([
    'allowed_hosts: 127.0.0.1 (plugin.json: hooks.example.com)',
    'private_network: true (plugin.json: false)',
    'allowed_hosts: (none) (plugin.json: hooks.example.com)',
  ]);
});

test('refuses a list for a permission the plugin was not granted, and a value that is not a host, writing nothing', async () => {
  await installSignedPoster([ws.home]);
  const state = readFileSync(join(ws.home, 'state.json'), 'utf8');
  const commands = await ws.run(['plugin', 'authority', 'poster', '--commands', 'git', '--yes']);
  expect(commands.code).toBe(1);
  expect(commands.stderr).toContain("❌ plugin 'poster' was not granted the exec permission, so the commands it may run cannot be changed");
  const host = await ws.run(['plugin', 'authority', 'poster', '--hosts', 'https://chat.example.org/x', '--yes']);
  expect(host.code).toBe(1);
  expect(host.stderr).toContain('must be a bare host name');
  expect(readFileSync(join(ws.home, 'state.json'), 'utf8')).toBe(state);
});
