// Issue 15 (14), the smaller ones, through the binary: the dangerous-combination consent line
// printed twice; "its own data folder: its own data folder"; the unsigned warning after the
// consent prompt and without the plugin's name; "updated 0.1.0 → 0.1.0"; `keys list` showing only
// ids; lockfiles recording absolute local paths without a warning; `plugin install .` in a plugin
// project's root saying "over 10485760 bytes" instead of "install ./dist".
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

/** The binary run from `cwd` (the workspace's helper always runs from its root). */
async function runIn(cwd: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnSync(process.execPath, [BINARY, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home, NO_COLOR: '1' },
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

const count = (text: string, part: string): number => text.split(part).length - 1;

test('a consent refusal lists each line once, and the unsigned warning comes first, naming the plugin', async () => {
  const dir = writePluginFolder(ws.plugins, {
    name: 'courier',
    permissions: ['network', 'env_vars', 'filesystem'],
    manifest: { network: { allowed_hosts: ['hooks.example.com'] }, env_vars: { allowed: ['HOOK_TOKEN'] } },
    body: '{}',
  });
  const refused = await ws.run(['plugin', 'install', dir]);
  expect(refused.code).toBe(1);
  expect(count(refused.stderr, 'network + env_vars together is a dangerous combination')).toBe(1);
  expect(refused.stderr).toContain('filesystem — Read and write files in its own data folder\n');
  expect(count(refused.stderr, 'its own data folder')).toBe(1);
  const warning = refused.stderr.indexOf('⚠️  courier: the plugin is not signed (no SIGNATURE.json)');
  expect(warning).toBeGreaterThanOrEqual(0);
  expect(warning).toBeLessThan(refused.stderr.indexOf("plugin 'courier' was not installed"));

  // Accepted: the warning is said once, before the success line, still naming the plugin.
  const installed = await ws.ok(['plugin', 'install', dir, '--yes']);
  expect(count(installed.stderr, 'not signed')).toBe(1);
  expect(installed.stderr).toContain('⚠️  courier: the plugin is not signed');
});

test('an update to the same version says it replaced the copy, not "updated 1.0.0 → 1.0.0"', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'same', commands: [{ name: 'hi' }], body: `{ commands: { hi: () => 'one' } }` });
  await ws.prepare(['plugin', 'install', dir, '--enable']);
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({ commands: { hi: () => 'two' } });\n`,
  );
  const updated = await ws.ok(['plugin', 'update', 'same', dir]);
  expect(updated.stdout).toBe(`✅ Plugin 'same' 1.0.0 replaced with the copy from ${dir} (same version)\n`);
  expect((await ws.ok(['same', 'hi'])).stdout).toBe('two\n');
});

test('keys list shows id, name, when added, fingerprint and which files are trusted; --json too', async () => {
  const key = JSON.parse((await ws.ok(['keys', 'generate', '--out', join(ws.root, 'author'), '--name', 'acme', '--json'])).stdout) as {
    key_id: string;
    public_key: string;
    private_key: string;
  };
  expect(JSON.parse((await ws.ok(['keys', 'add', key.public_key, '--name', 'ACME releases', '--json'])).stdout)).toEqual({
    key_id: key.key_id,
    name: 'ACME releases',
  });
  // A private key someone copied in by hand: listed as not trusted.
  copyFileSync(key.private_key, join(ws.home, 'keys', 'oops.pem'));
  const text = await ws.ok(['keys', 'list']);
  const lines = text.stdout.split('\n');
  expect(lines[0]).toMatch(new RegExp(`^✅ ${key.key_id}  ACME releases  added \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$`));
  expect(lines[1]).toMatch(new RegExp(`^   trusted · fingerprint sha256:${key.key_id}[0-9a-f]{32}$`));
  expect(text.stderr).toContain('⚠️  not trusted: oops.pem holds a private key');
  const json = JSON.parse((await ws.ok(['keys', 'list', '--json'])).stdout) as { keys: Array<Record<string, unknown>>; problems: string[] };
  expect(json.keys).toEqual([
    {
      id: key.key_id,
      name: 'ACME releases',
      fingerprint: expect.stringMatching(new RegExp(`^${key.key_id}[0-9a-f]{32}$`)),
      added_at: expect.any(String),
      files: [`${key.key_id}.pem`],
      trusted: true,
    },
    { file: 'oops.pem', trusted: false, reason: expect.stringContaining('holds a private key') },
  ]);
  expect(json.problems).toHaveLength(1);
});

test('export warns that a folder or archive source is an absolute path other hosts will not have', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'local-one', body: '{}' });
  await ws.prepare(['plugin', 'install', dir]);
  const exported = await ws.ok(['plugin', 'export', '--output', join(ws.root, 'lock.json')]);
  expect(exported.stderr).toBe(
    `⚠️  'local-one' is recorded from a folder on this host, ${dir}: the lockfile records that absolute ` +
      `path, which other hosts won't have unless they hold the same folder there (publish the plugin to a ` +
      `registry and install it with marathon plugin install npm:local-one to make the lockfile portable)\n`,
  );
  const json = JSON.parse((await ws.ok(['plugin', 'export', '--output', join(ws.root, 'lock2.json'), '--json'])).stdout) as {
    warnings: string[];
  };
  expect(json.warnings).toHaveLength(1);
});

test('plugin install . in a plugin project root says to install its build', async () => {
  const project = join(ws.root, 'my-plugin');
  writePluginFolder(project, { name: 'dist', body: '{}' }); // dist/plugin.json + dist/index.js
  writeFileSync(join(project, 'package.json'), '{"name":"my-plugin","private":true}');
  copyFileSync(join(project, 'dist', 'plugin.json'), join(project, 'plugin.json'));
  mkdirSync(join(project, 'node_modules', 'big'), { recursive: true });
  writeFileSync(join(project, 'node_modules', 'big', 'blob.js'), 'x'.repeat(11 * 1024 * 1024));
  const inProject = await runIn(project, ['plugin', 'install', '.']);
  expect(inProject.code).toBe(1);
  expect(inProject.stderr).toContain(
    `${project} is a plugin project, not the plugin itself: install its build: marathon plugin install ./dist`,
  );
  expect(inProject.stderr).not.toContain('bytes');
  // Not built yet, dependencies installed: build first.
  rmSync(join(project, 'dist'), { recursive: true });
  const unbuilt = await runIn(project, ['plugin', 'install', '.']);
  expect(unbuilt.stderr).toContain(
    `${project} is a plugin project (it holds node_modules/, which is no part of a plugin): ` +
      `build it (npm run build), then install its build: marathon plugin install ./dist`,
  );
});
