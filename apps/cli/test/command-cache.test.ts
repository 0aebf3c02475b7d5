// The command cache in MARATHON_HOME/cli: generated from state.json, never stale — also when the
// state is changed by something other than the CLI — and not needed for the CLI to work.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginManager } from '@marathon/manager';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const cacheDir = () => join(ws.home, 'cli', 'plugin-commands');

test("holds an oclif manifest of the enabled plugins' commands, rebuilt on every state change", async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  await ws.ok(['--help']);
  const manifest = JSON.parse(readFileSync(join(cacheDir(), 'oclif.manifest.json'), 'utf8'));
  expect(Object.keys(manifest.commands).sort()).toEqual(['hello-world:greet', 'hello-world:hello']);
  expect(manifest.commands['hello-world:greet']).toMatchObject({ summary: 'Greet someone', usage: 'hello-world greet <name>' });
  await ws.ok(['plugin', 'disable', 'hello-world']);
  await ws.ok(['--help']);
  expect(JSON.parse(readFileSync(join(cacheDir(), 'oclif.manifest.json'), 'utf8')).commands).toEqual({});
});

test('follows changes made to the state by a host through the manager API, not the CLI', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  expect((await ws.ok(['hello-world', 'hello'])).stdout).toBe('Hello, World!\n');
  const manager = await PluginManager.open({ home: ws.home });
  try {
    await manager.disable('hello-world');
  } finally {
    await manager.close();
  }
  const gone = await ws.run(['hello-world', 'hello']);
  expect(gone.code).not.toBe(0);
  const ids = JSON.parse((await ws.ok(['commands', '--json'])).stdout).map((command: { id: string }) => command.id);
  expect(ids).toContain('plugin:list');
  expect(ids.filter((id: string) => id.startsWith('hello-world'))).toEqual([]);
});

test('is rebuilt when deleted or damaged, and the CLI works without it when it cannot be written', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  rmSync(join(ws.home, 'cli'), { recursive: true, force: true });
  expect((await ws.ok(['hello-world:hello'])).stdout).toBe('Hello, World!\n');
  expect(existsSync(join(cacheDir(), 'oclif.manifest.json'))).toBe(true);

  writeFileSync(join(cacheDir(), 'package.json'), '{ damaged');
  expect((await ws.ok(['hello-world:hello'])).stdout).toBe('Hello, World!\n');
  expect(JSON.parse(readFileSync(join(cacheDir(), 'package.json'), 'utf8')).name).toBe('@marathon/installed-plugin-commands');

  // A file where the cache folder should be: it cannot be written, and commands are built at start.
  rmSync(join(ws.home, 'cli'), { recursive: true, force: true });
  writeFileSync(join(ws.home, 'cli'), 'not a folder');
  expect((await ws.ok(['hello-world:greet', 'Ada'])).stdout).toBe('Hello, Ada! Greetings from the hello-world plugin.\n');
  expect((await ws.ok(['--help'])).stdout).toMatch(/hello-world +A simple hello world plugin/);
});

test('tasks do not inherit the variable that points oclif at the cache', async () => {
  const outcome = await ws.ok([
    'task',
    'run',
    '--',
    process.execPath,
    '-e',
    'console.log(JSON.stringify(Object.keys(process.env).filter((k) => k.includes("DATA_DIR"))))',
  ]);
  expect(JSON.parse(outcome.stdout)).toEqual([]);
});
