// Issue 14 (10) through the binary: `plugin pack` took the whole folder — a git working copy with
// node_modules, .env, .npmrc and the author's private key — into the tarball meant for npm publish.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const listing = (file: string) => execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n').sort();

test('pack leaves out .git, node_modules and secret-named files, and says so', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'notifier', body: '{}' });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  mkdirSync(join(dir, 'node_modules', 'left-pad'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;');
  writeFileSync(join(dir, '.env'), 'AWS_SECRET_ACCESS_KEY=s3cret\n');
  writeFileSync(join(dir, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n');
  const key = JSON.parse((await ws.ok(['keys', 'generate', '--out', dir, '--name', 'signing', '--json'])).stdout) as {
    private_key: string;
  };
  writeFileSync(join(dir, 'signing.pem'), readFileSync(key.private_key)); // a private key saved as .pem

  const packed = await ws.ok(['plugin', 'pack', dir, '--output', join(ws.root, 'out')]);
  expect(packed.stdout).toContain('Left out (default ignore list): .env, .git/, .npmrc, node_modules/, signing.key, signing.pem');
  const file = join(ws.root, 'out', 'notifier-1.0.0.tgz');
  expect(listing(file)).toEqual(['package/index.js', 'package/package.json', 'package/plugin.json']);
  const json = JSON.parse((await ws.ok(['plugin', 'pack', dir, '--output', join(ws.root, 'out'), '--json'])).stdout) as {
    ignored: string[];
    files: string[];
  };
  expect(json.ignored).toEqual(['.env', '.git/', '.npmrc', 'node_modules/', 'signing.key', 'signing.pem']);
});

test('pack refuses a file that looks like a secret unless it is included on purpose', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'notifier', body: '{}' });
  const key = JSON.parse((await ws.ok(['keys', 'generate', '--out', ws.root, '--name', 'signing', '--json'])).stdout) as {
    private_key: string;
  };
  const material = readFileSync(key.private_key, 'utf8');
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ deploy_key: material }));
  const refused = await ws.run(['plugin', 'pack', dir, '--output', join(ws.root, 'out'), '--json']);
  expect(refused.code).toBe(1);
  const { error } = JSON.parse(refused.stdout) as { error: { code: string; message: string; details: string[] } };
  expect(error.code).toBe('PACK_REFUSED');
  expect(error.message).toContain('--include <path>');
  expect(error.details).toEqual(['settings.json:1: looks like a private key']);
  expect(refused.stdout).not.toContain(material.split('\n')[1]!);
  await ws.ok(['plugin', 'pack', dir, '--output', join(ws.root, 'out'), '--include', 'settings.json']);
  expect(listing(join(ws.root, 'out', 'notifier-1.0.0.tgz'))).toContain('package/settings.json');
});
