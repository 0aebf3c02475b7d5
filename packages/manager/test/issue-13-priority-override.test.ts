// Issue 13 (2): priorities were unbounded and only the author decided them. The operator now
// overrides a plugin's priority per hook, within a wider range than any author's, without touching
// the plugin's files; an enabled plugin's handlers move at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginManager } from '@marathon/manager';
import { managerError, open, task, tempRoot, writePlugin, type Sandbox } from './helpers';

let sandbox: Sandbox;
let manager: PluginManager;

beforeEach(async () => {
  sandbox = tempRoot();
  manager = await open(sandbox);
  writePlugin(sandbox.plugins, { name: 'early', hooks: [{ name: 'post_task_execute', priority: 1000 }] });
  writePlugin(sandbox.plugins, { name: 'late', hooks: ['post_task_execute', 'pre_task_submit'] });
  for (const name of ['early', 'late']) {
    await manager.install(name);
    await manager.enable(name);
  }
});
afterEach(async () => {
  await manager.close();
  sandbox.cleanup();
});

const order = async (m: PluginManager) => (await m.dispatch('post_task_execute', task())).results.map((r) => r.plugin);

it('puts a plugin before one at the top of the author range, at once and in the next process', async () => {
  expect(await order(manager)).toEqual(['early', 'late']);
  const rows = await manager.setPriority('late', 'post_task_execute', 5000);
  expect(rows).toEqual([
    { hook: 'post_task_execute', declared: 0, override: 5000, effective: 5000 },
    { hook: 'pre_task_submit', declared: 0, effective: 0 },
  ]);
  expect(await order(manager)).toEqual(['late', 'early']);
  await manager.close();
  manager = await open(sandbox);
  expect(await order(manager)).toEqual(['late', 'early']);
  // The plugin's own files are untouched (its signature and integrity still hold).
  const installed = (await manager.info('late')).record;
  expect(JSON.parse(readFileSync(join(sandbox.home, 'installed', installed.folder, 'plugin.json'), 'utf8')).hooks).toEqual([
    'post_task_execute',
    'pre_task_submit',
  ]);
});

it('resets to what plugin.json says', async () => {
  await manager.setPriority('early', 'post_task_execute', -10000);
  expect(await order(manager)).toEqual(['late', 'early']);
  expect(await manager.setPriority('early', 'post_task_execute', undefined)).toEqual([
    { hook: 'post_task_execute', declared: 1000, effective: 1000 },
  ]);
  expect((await manager.info('early')).record.priorities).toBeUndefined();
  expect(await order(manager)).toEqual(['early', 'late']);
});

it.each([
  [10001, 'PRIORITY_INVALID', 'a priority is a whole number from -10000 to 10000, not 10001'],
  [-10001, 'PRIORITY_INVALID', 'a priority is a whole number from -10000 to 10000, not -10001'],
  [1.5, 'PRIORITY_INVALID', 'a priority is a whole number from -10000 to 10000, not 1.5'],
])('refuses %p and changes nothing', async (priority, code, message) => {
  const before = readFileSync(join(sandbox.home, 'state.json'), 'utf8');
  const error = await managerError(() => manager.setPriority('late', 'post_task_execute', priority));
  expect([error.code, error.message]).toEqual([code, message]);
  expect(readFileSync(join(sandbox.home, 'state.json'), 'utf8')).toBe(before);
});

it('refuses a hook the plugin does not handle, and a plugin that is not installed', async () => {
  const hook = await managerError(() => manager.setPriority('early', 'pre_task_submit', 5));
  expect([hook.code, hook.message]).toEqual([
    'HOOK_NOT_DECLARED',
    "plugin 'early' does not handle hook 'pre_task_submit': it handles post_task_execute",
  ]);
  expect((await managerError(() => manager.setPriority('nope', 'pre_task_submit', 5))).code).toBe('NOT_INSTALLED');
  expect((await managerError(() => manager.priorities('nope'))).code).toBe('NOT_INSTALLED');
});
