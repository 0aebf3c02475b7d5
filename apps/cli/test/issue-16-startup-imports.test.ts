// Every command module is imported when the CLI starts (the explicit command table in
// @marathon/oclif-plugin's commands.ts), so a value import of the manager in any of them loads the
// manager, the registry and their dependencies for `marathon --version` too. The binary is run with
// a preload that records which files Node loads.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.cleanup());

test('marathon --version and --help load neither the manager nor the registry\'s root entry, pacote or zod', async () => {
  const preload = join(ws.root, 'record-loads.cjs');
  const record = join(ws.root, 'loaded.json');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(Object.keys(require.cache))));\n`);
  for (const args of [['--version'], ['--help']]) {
    await ws.ok(args, { env: { NODE_OPTIONS: `--require ${preload}` } });
    const loaded = (JSON.parse(readFileSync(record, 'utf8')) as string[]).map((file) => file.split('\\').join('/'));
    expect(loaded.some((file) => file.includes('/oclif-plugin/dist/commands.js'))).toBe(true); // the command table did load
    expect(loaded.filter((file) => /\/manager\/dist\/|\/registry\/dist\/index\.js$|\/node_modules\/(pacote|zod)\//.test(file))).toEqual([]);
  }
});
