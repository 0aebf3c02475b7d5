// Issue 14, part 3, through the binary: everything under MARATHON_HOME was trusted and nothing was
// confined to it. Each test plants what the report planted and checks that nothing outside the
// home is touched, that the command says what is wrong and how to fix it, and that the home and
// its folders are private whatever the umask.
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const mode = (path: string) => statSync(path).mode & 0o777;
const asRoot = process.platform !== 'win32' && process.geteuid?.() === 0;
const STACK = /\n\s+at .+:\d+:\d+/;

/** A file outside the home that no command may touch. */
function victim(): { path: string; intact: () => boolean } {
  const dir = join(ws.root, 'victim');
  mkdirSync(join(dir, '.ssh'), { recursive: true });
  const path = join(dir, '.ssh', 'authorized_keys');
  writeFileSync(path, 'ssh-ed25519 AAAA the-operator\n');
  return { path, intact: () => existsSync(path) && readFileSync(path, 'utf8') === 'ssh-ed25519 AAAA the-operator\n' };
}

test('the home and its folders are 0700 and state.json 0600 under umask 000', async () => {
  const previous = process.umask(0);
  try {
    await ws.ok(['plugin', 'install', 'hello-world', '--yes', '--enable']);
    await ws.ok(['hello-world', 'hello']);
  } finally {
    process.umask(previous);
  }
  expect(mode(ws.home)).toBe(0o700);
  for (const folder of ['installed', 'staging', 'data', 'storage', 'history', 'keys', 'cli', 'cache', join('cli', 'plugin-commands')]) {
    expect({ folder, mode: mode(join(ws.home, folder)) }).toEqual({ folder, mode: 0o700 });
  }
  expect(mode(join(ws.home, 'state.json'))).toBe(0o600);
  expect(mode(join(ws.home, 'cli', 'package.json'))).toBe(0o600);
});

test('a home others can write in is refused with the chmod that fixes it; fixed, it works', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes']);
  chmodSync(ws.home, 0o777);
  const refused = await ws.run(['plugin', 'enable', 'hello-world']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${ws.home} can be changed by other users (mode 0777)`);
  expect(refused.stderr).toContain(`chmod -R go-rwx '${ws.home}'`);
  expect(refused.stderr).not.toMatch(STACK);
  chmodSync(ws.home, 0o700);
  await ws.ok(['plugin', 'enable', 'hello-world']);
});

(asRoot ? test : test.skip)('as root, a home owned by another user is refused with the chown that fixes it', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes']);
  chownSync(ws.home, 12345, 12345);
  const refused = await ws.run(['plugin', 'enable', 'hello-world']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${ws.home} belongs to uid 12345 and you are root`);
  expect(refused.stderr).toContain('chown -R root');
});

test('a planted sync journal cannot make `plugin list` delete a file or move one over it', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes']);
  const keys = victim();
  const elsewhere = join(ws.root, 'victim', 'other-file');
  writeFileSync(elsewhere, 'mine');
  const planted = join(ws.home, 'staging', 'stage-999999-sync-deadbeef');
  mkdirSync(join(planted, '0'), { recursive: true });
  writeFileSync(join(planted, '0', 'authorized_keys'), 'ssh-ed25519 AAAA the-attacker\n');
  writeFileSync(join(planted, '1'), 'x');
  // The journal of the Marathon this was found in (version 1), and one of today's.
  writeFileSync(join(planted, 'sync.json'), JSON.stringify({ version: 1, pid: 999999, plugins: {} }));
  writeFileSync(
    join(planted, 'trash.json'),
    JSON.stringify([
      { from: join(keys.path, '..'), to: '0' },
      { from: elsewhere, to: '1' },
    ]),
  );
  const listed = await ws.run(['plugin', 'list']);
  expect(listed.code).toBe(1);
  expect(listed.stderr).toContain(join(planted, 'trash.json'));
  expect(listed.stderr).toContain('Marathon did not write it');
  expect(listed.stderr).not.toMatch(STACK);
  expect(keys.intact()).toBe(true);
  expect(readFileSync(elsewhere, 'utf8')).toBe('mine');
  // The operator removes the planted folder, as told, and the home works again, state intact.
  rmSync(planted, { recursive: true });
  expect((await ws.ok(['plugin', 'list'])).stdout).toMatch(/^hello-world +1\.0\.0/m);
});

test("a state.json record whose folder is '../../../x' cannot make uninstall delete x", async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes']);
  const keys = victim();
  const file = join(ws.home, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  state.plugins['hello-world'].folder = '../../victim/.ssh';
  writeFileSync(file, JSON.stringify(state, null, 2));
  const refused = await ws.run(['plugin', 'uninstall', 'hello-world']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(file);
  expect(refused.stderr).toContain(`folder '../../victim/.ssh' is not the installed copy of hello-world 1.0.0`);
  expect(refused.stderr).not.toMatch(STACK);
  expect(keys.intact()).toBe(true);
});

test('a symbolic link in place of installed/ is refused, not deleted in', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes']);
  const installed = join(ws.home, 'installed');
  const moved = join(ws.root, 'victim-installed');
  renameSync(installed, moved);
  symlinkSync(moved, installed);
  const refused = await ws.run(['plugin', 'uninstall', 'hello-world']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${installed} is a symbolic link (to ${moved})`);
  expect(refused.stderr).not.toMatch(STACK);
  const state = JSON.parse(readFileSync(join(ws.home, 'state.json'), 'utf8'));
  expect(existsSync(join(moved, state.plugins['hello-world'].folder))).toBe(true);
});

test('a symbolic link in place of data/@scope is refused, not deleted in', async () => {
  const folder = writePluginFolder(ws.plugins, { name: '@acme/tool', body: '{}' });
  await ws.prepare(['plugin', 'install', folder, '--yes']);
  const outside = join(ws.root, 'victim-data');
  mkdirSync(join(outside, 'tool'), { recursive: true });
  writeFileSync(join(outside, 'tool', 'notes.txt'), "not marathon's");
  rmSync(join(ws.home, 'data', '@acme'), { recursive: true, force: true });
  symlinkSync(outside, join(ws.home, 'data', '@acme'));
  const refused = await ws.run(['plugin', 'uninstall', '@acme/tool']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${join(ws.home, 'data', '@acme')} is a symbolic link`);
  expect(readFileSync(join(outside, 'tool', 'notes.txt'), 'utf8')).toBe("not marathon's");
});

test("a plugin added to the command cache's package.json does not run, and the file is put back", async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes', '--enable']);
  await ws.prepare(['--help']); // the cache is now up to date with the state: nothing will rewrite it on its own
  const evil = join(ws.root, 'evil-plugin');
  const marker = join(ws.root, 'evil-ran');
  mkdirSync(evil);
  writeFileSync(join(evil, 'package.json'), JSON.stringify({ name: 'evil', version: '1.0.0', oclif: { hooks: { init: './hook.js' } } }));
  writeFileSync(
    join(evil, 'hook.js'),
    `module.exports = async () => require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`,
  );
  const dataPackage = join(ws.home, 'cli', 'package.json');
  const original = readFileSync(dataPackage, 'utf8');
  const planted = JSON.parse(original);
  planted.oclif.plugins.push({ type: 'link', name: 'evil', root: evil });
  writeFileSync(dataPackage, JSON.stringify(planted));
  expect((await ws.ok(['hello-world', 'hello'])).stdout).toBe('Hello, World!\n');
  await ws.ok(['--help']);
  expect(existsSync(marker)).toBe(false);
  expect(readFileSync(dataPackage, 'utf8')).toBe(original);
});

test("a hook added to the generated plugin's package.json does not run, and the cache is rebuilt", async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes', '--enable']);
  await ws.prepare(['--help']);
  const pluginDir = join(ws.home, 'cli', 'plugin-commands');
  const marker = join(ws.root, 'evil-ran');
  writeFileSync(
    join(pluginDir, 'hook.js'),
    `module.exports = async () => require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`,
  );
  const pjson = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'));
  pjson.oclif.hooks = { init: './hook.js' };
  writeFileSync(join(pluginDir, 'package.json'), JSON.stringify(pjson));
  expect((await ws.ok(['hello-world', 'hello'])).stdout).toBe('Hello, World!\n');
  expect(existsSync(marker)).toBe(false);
  expect(existsSync(join(pluginDir, 'hook.js'))).toBe(false);
  expect(JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')).oclif.hooks).toBeUndefined();
});
