// Every command module is imported when the CLI starts (the explicit command table in
// @marathon/oclif-plugin's commands.ts), so a value import of the manager in any of them loads the
// manager, the registry and their dependencies for `marathon --help` too (`--version` answers
// before oclif loads). The binary is run with
// a preload that records which files Node loads.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BINARY, workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.cleanup());

/** The files Node loaded for `marathon <args>` (which must succeed). */
async function loadedBy(args: readonly string[]): Promise<string[]> {
  const preload = join(ws.root, 'record-loads.cjs');
  const record = join(ws.root, 'loaded.json');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(Object.keys(require.cache))));\n`,
  );
  await ws.ok(args, { env: { NODE_OPTIONS: `--require ${preload}` } });
  return (JSON.parse(readFileSync(record, 'utf8')) as string[]).map((file) => file.split('\\').join('/'));
}

test("marathon --help loads neither the manager nor the registry's root entry, pacote or zod", async () => {
  const loaded = await loadedBy(['--help']);
  expect(loaded.some((file) => file.includes('/oclif-plugin/dist/commands.js'))).toBe(true); // the command table did load
  expect(loaded.filter((file) => /\/manager\/dist\/|\/registry\/dist\/index\.js$|\/node_modules\/(pacote|zod)\//.test(file))).toEqual([]);
});

test('marathon --version answers without loading oclif, and says exactly what oclif would', async () => {
  for (const args of [['--version'], ['--version', 'ignored']]) {
    const loaded = await loadedBy(args);
    expect(loaded.filter((file) => /\/@oclif\/|\/@marathon\/|\/(packages|plugins)\//.test(file))).toEqual([]);
  }
  // oclif's own answer: its Config.userAgent for this CLI, computed by oclif in another process.
  const oclif = spawnSync(
    process.execPath,
    ['-e', `require('@oclif/core').Config.load(${JSON.stringify(dirname(BINARY))}).then((c) => process.stdout.write(c.userAgent))`],
    { cwd: dirname(BINARY), encoding: 'utf8' },
  );
  expect(oclif.status).toBe(0);
  expect(oclif.stdout).toMatch(/^@marathon\/cli\/\S+ \S+-\S+ node-v\d+/);
  expect((await ws.ok(['--version'])).stdout).toBe(`${oclif.stdout}\n`);
});

test("keys add and keys remove secure the home from @marathon/registry/home, without the registry's root entry", async () => {
  const key = JSON.parse((await ws.ok(['keys', 'generate', '--out', join(ws.root, 'author'), '--json'])).stdout) as {
    key_id: string;
    public_key: string;
  };
  for (const args of [
    ['keys', 'add', key.public_key],
    ['keys', 'remove', key.key_id],
  ]) {
    const loaded = await loadedBy(args);
    expect(loaded.some((file) => file.endsWith('/registry/dist/home-guard.js'))).toBe(true); // the home was secured
    expect(loaded.filter((file) => /\/manager\/dist\/|\/registry\/dist\/index\.js$|\/node_modules\/(pacote|zod)\//.test(file))).toEqual([]);
  }
});
