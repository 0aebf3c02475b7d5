// Issue 14, part 10 (the state piece): a state.json with `plugins: []` gave TypeErrors or a false
// "installed successfully", and a record's `folder: "../../../x"` made uninstall delete x. The
// store now reads a state only when it is one Marathon could have written, and otherwise refuses
// with STATE_INVALID naming the file and each problem — never dropping records to "repair" it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marathonHome, RegistryError, StateStore, type MarathonHome } from '@marathon/registry';
import { stateRecord } from './state-record';

let root: string;
let home: MarathonHome;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-shape-'));
  home = marathonHome(join(root, 'home'));
  mkdirSync(home.root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function invalid(state: unknown): Promise<RegistryError> {
  const text = JSON.stringify(state);
  writeFileSync(home.stateFile, text);
  const store = new StateStore(home);
  const error = await store.read().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RegistryError);
  expect(error).toMatchObject({ code: 'STATE_INVALID' });
  // A transaction refuses too, and the file is left exactly as it was.
  await expect(store.transaction(async () => undefined)).rejects.toMatchObject({ code: 'STATE_INVALID' });
  expect(readFileSync(home.stateFile, 'utf8')).toBe(text);
  return error as RegistryError;
}

it('refuses `plugins: []`, naming the file and what is wrong', async () => {
  const error = await invalid({ version: 1, plugins: [] });
  expect(error.message).toContain(home.stateFile);
  expect(error.message).toContain('plugins is an array, not an object of plugin records keyed by name');
});

it('refuses a record whose folder leaves installed/', async () => {
  const error = await invalid({ version: 1, plugins: { x: stateRecord('x', { folder: '../../../victim' }) } });
  expect(error.message).toContain(`plugins["x"].folder '../../../victim' is not the installed copy of x 1.0.0`);
});

it("refuses a record whose folder is another plugin's copy, or nested", async () => {
  await invalid({ version: 1, plugins: { x: stateRecord('x', { folder: 'y@1.0.0-0123abcd' }) } });
  await invalid({ version: 1, plugins: { x: stateRecord('x', { folder: 'x@1.0.0-0123abcd/../../y' }) } });
});

it('refuses a plugin name that would make a path (`..`, a slash) and a key that is not its record', async () => {
  expect((await invalid({ version: 1, plugins: { '../x': stateRecord('../x') } })).message).toContain('is not a valid package name');
  expect((await invalid({ version: 1, plugins: { a: stateRecord('b') } })).message).toContain(`plugins["a"].name is "b", not its key 'a'`);
});

it('refuses digests naming files outside the plugin folder, and a main outside it', async () => {
  await invalid({ version: 1, plugins: { x: stateRecord('x', { integrity: { '../../etc/passwd': 'a'.repeat(64) } }) } });
  const record = stateRecord('x');
  await invalid({ version: 1, plugins: { x: { ...record, manifest: { ...record.manifest, main: '../../evil.js' } } } });
});

it('refuses wrong types in a record with the path of each, and lists at most ten problems', async () => {
  const error = await invalid({
    version: 1,
    plugins: { x: { ...stateRecord('x'), status: 'on', granted_permissions: 'all', signature: 7 } },
  });
  expect(error.details).toEqual(
    expect.arrayContaining([
      'plugins["x"].status is "on", not enabled, disabled or error',
      'plugins["x"].signature is 7, not a signature status',
      'plugins["x"].granted_permissions is a string, not a list',
    ]),
  );
  const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, { name: `p${i}` }]));
  expect((await invalid({ version: 1, plugins: many })).details).toHaveLength(10);
});

it('reads a state Marathon wrote, unchanged', async () => {
  const state = {
    version: 1,
    plugins: { x: stateRecord('x'), '@acme/tool': stateRecord('@acme/tool', { status: 'enabled', priorities: { post_task_execute: 5 } }) },
  };
  writeFileSync(home.stateFile, JSON.stringify(state));
  expect(JSON.parse(JSON.stringify(await new StateStore(home).read()))).toEqual(state);
});
