// `performance()` (issue 20, `marathon plugin top`): what every process on one MARATHON_HOME
// persisted, one row per plugin, heaviest first, with its status from state.json; and usage.json,
// the engine usage each process samples when it writes its history.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PersistedUsage, PluginManager } from '@marathon/manager';
import { open, task, tempRoot, writePlugin, type Sandbox } from './helpers';

let sandbox: Sandbox;
const managers: PluginManager[] = [];

beforeEach(() => {
  sandbox = tempRoot();
});
afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.close();
  sandbox.cleanup();
});

async function openManager(): Promise<PluginManager> {
  const manager = await open(sandbox);
  managers.push(manager);
  return manager;
}

function readUsage(): Record<string, PersistedUsage> {
  return JSON.parse(readFileSync(join(sandbox.home, 'history', 'usage.json'), 'utf8')) as Record<string, PersistedUsage>;
}

function writePlugins(): void {
  writePlugin(sandbox.plugins, {
    name: 'heavy',
    hooks: ['post_task_execute'],
    body: `{ hooks: { post_task_execute: () => { let x = 0; for (let i = 0; i < 300000; i++) x += i; return success('heavy ' + x); } } }`,
  });
  writePlugin(sandbox.plugins, { name: 'light', hooks: ['post_task_execute'] });
  writePlugin(sandbox.plugins, {
    name: 'gate',
    hooks: ['pre_task_submit'],
    body: `{ hooks: { pre_task_submit: () => failure('no tasks today') } }`,
  });
  writePlugin(sandbox.plugins, { name: 'broken', hooks: ['post_task_submit'] });
}

it('sees the calls of two managers on one home, heaviest first, with rates, timings, usage and status', async () => {
  writePlugins();
  const first = await openManager();
  for (const name of ['heavy', 'light', 'gate', 'broken']) {
    await first.install(name, { yes: true });
    await first.enable(name);
  }
  const broken = (await first.list()).find((record) => record.name === 'broken')!;
  appendFileSync(join(sandbox.home, 'installed', broken.folder, 'index.js'), '\n// tampered\n');
  const second = await openManager();

  for (let i = 0; i < 2; i++) await first.dispatch('post_task_execute', task(`a-${i}`));
  for (let i = 0; i < 3; i++) await second.dispatch('post_task_execute', task(`b-${i}`));
  await second.dispatch('pre_task_submit', task('b-veto'));
  await first.dispatch('post_task_submit', task('a-broken'));
  // Closed before they wrote on their own (history is written at most every second): what they
  // persist at close, usage included, is what the third one sees.
  await managers.splice(0).reduce((done, manager) => done.then(() => manager.close()), Promise.resolve());

  const report = await (await openManager()).performance();
  expect(report.window_ms).toBe(60_000);
  const order = report.plugins.map((row) => row.plugin);
  expect(order[0]).toBe('heavy');
  expect(order.indexOf('heavy')).toBeLessThan(order.indexOf('light'));
  const row = (name: string) => report.plugins.find((plugin) => plugin.plugin === name)!;
  expect(row('heavy').recent).toMatchObject({ calls: 5, calls_per_s: 5 / 60, errors: 0, vetoes: 0 });
  expect(row('heavy').recent.time_ms).toBeGreaterThan(row('light').recent.time_ms);
  expect(row('heavy').hooks).toEqual([expect.objectContaining({ hook: 'post_task_execute', calls: 5, failures: 0, error_rate: 0 })]);
  expect(row('heavy').hooks[0]!.p95_ms).toBeGreaterThanOrEqual(row('heavy').hooks[0]!.p50_ms);
  expect(row('heavy').hooks[0]!.p50_ms).toBeGreaterThan(0);
  expect(row('heavy').timings).toEqual(expect.objectContaining({ load_ms: expect.any(Number), init_ms: expect.any(Number) }));
  expect(row('heavy').usage).toEqual(expect.objectContaining({ pid: process.pid, calls: expect.any(Number) }));
  expect(row('heavy').usage!.memory_bytes).toBeGreaterThan(0);
  expect(row('heavy').usage!.cpu_ms).toBeGreaterThan(0);
  expect(row('gate').recent).toMatchObject({ calls: 1, vetoes: 1, veto_rate: 1, errors: 0, error_rate: 0 });
  expect(row('broken')).toMatchObject({
    status: 'error',
    error: expect.stringContaining('was modified after install') as string,
    usage: null,
  });
  expect(row('broken').recent).toMatchObject({ calls: 1, errors: 1, error_rate: 1 });
  expect(row('light').status).toBe('enabled');
  expect(Object.keys(readUsage()).sort()).toEqual(['gate', 'heavy', 'light']);
});

it("keeps another process's newer usage sample of a plugin and adds its own of the others", async () => {
  writePlugins();
  const manager = await openManager();
  for (const name of ['heavy', 'light']) {
    await manager.install(name, { yes: true });
    await manager.enable(name);
  }
  const newer: PersistedUsage = { memory_bytes: 1, cpu_ms: 2, calls: 3, at: '2999-01-01T00:00:00.000Z', pid: 1 };
  mkdirSync(join(sandbox.home, 'history'), { recursive: true });
  writeFileSync(join(sandbox.home, 'history', 'usage.json'), JSON.stringify({ heavy: newer }));
  await manager.dispatch('post_task_execute', task());
  await manager.performance();
  expect(readUsage().heavy).toEqual(newer);
  expect(readUsage().light).toEqual(expect.objectContaining({ pid: process.pid, memory_bytes: expect.any(Number) }));
});

it('has a row with no calls for a plugin nothing has called, and no usage.json until a plugin is loaded', async () => {
  writePlugins();
  const manager = await openManager();
  await manager.install('light', { yes: true });
  const report = await manager.performance();
  expect(report.plugins).toEqual([
    expect.objectContaining({
      plugin: 'light',
      status: 'disabled',
      hooks: [],
      timings: null,
      usage: null,
      recent: expect.objectContaining({ calls: 0 }),
    }),
  ]);
  expect(() => readUsage()).toThrow(/ENOENT/);
});
