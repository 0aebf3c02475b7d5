// metrics.json sums what every process counted (issue 16): two processes flushing at once both
// count, because each merges under the metrics lock; and a bus the host passed in keeps its own
// metrics (the store remembers what it wrote instead of resetting the bus) — once the write
// succeeded, and from zero again when the host resets its bus.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HookBus } from '@marathon/events';
import type { PluginManager } from '@marathon/manager';
import { marathonHome } from '@marathon/registry';
import { HistoryStore } from '../src/history-store';
import { open, task, tempRoot, writePlugin, type Sandbox } from './helpers';

const run = promisify(execFile);
let sandbox: Sandbox;
let manager: PluginManager | undefined;

beforeEach(() => {
  sandbox = tempRoot();
});
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  sandbox.cleanup();
});

it('adds up the counts of processes that flush at the same time', async () => {
  const rounds = 30;
  const flusher = () => run(process.execPath, [join(__dirname, 'fixtures', 'metrics-flush.cjs'), sandbox.home, String(rounds)]);
  await Promise.all([flusher(), flusher(), flusher()]);
  const saved = JSON.parse(readFileSync(join(sandbox.home, 'history', 'metrics.json'), 'utf8')) as Record<
    string,
    { calls: number; failures: number; total_ns: number }
  >;
  expect(saved['counter post_task_execute']).toMatchObject({
    calls: 3 * rounds,
    failures: 3 * Math.ceil(rounds / 4),
    total_ns: 3 * rounds * 1000,
  });
}, 60_000);

it("leaves a host's own bus metrics alone, and writes each call once", async () => {
  writePlugin(sandbox.plugins, { name: 'counter', permissions: ['task_read'], hooks: ['post_task_execute'] });
  const bus = new HookBus();
  manager = await open(sandbox, { bus, historyWriteMs: 0 });
  await manager.install('counter', { yes: true });
  await manager.enable('counter');
  await manager.dispatch('post_task_execute', task('t-1'));
  await manager.dispatch('post_task_execute', task('t-2'));
  expect(bus.metrics.snapshot({ plugin: 'counter' })).toEqual([expect.objectContaining({ calls: 2 })]);
  expect((await manager.info('counter')).metrics).toEqual([expect.objectContaining({ calls: 2 })]);
  await manager.dispatch('post_task_execute', task('t-3'));
  expect((await manager.info('counter')).metrics).toEqual([expect.objectContaining({ calls: 3 })]);
  expect(bus.metrics.snapshot({ plugin: 'counter' })).toEqual([expect.objectContaining({ calls: 3 })]);
});

describe('what the history store counts as written', () => {
  const saved = () => JSON.parse(readFileSync(join(sandbox.home, 'history', 'metrics.json'), 'utf8')) as Record<string, { calls: number }>;
  const calls = (bus: HookBus, count: number) => {
    for (let i = 0; i < count; i++) bus.metrics.cell('counter', 'post_task_execute').record(true, 1000);
  };

  it('still owes the counts of a metrics write that failed, and writes them with the next', async () => {
    const store = new HistoryStore(marathonHome(sandbox.home));
    const bus = new HookBus();
    calls(bus, 2);
    // A folder where metrics.json goes: the write fails.
    mkdirSync(join(sandbox.home, 'history', 'metrics.json'), { recursive: true });
    await expect(store.flush(bus)).rejects.toThrow();
    rmSync(join(sandbox.home, 'history', 'metrics.json'), { recursive: true });
    calls(bus, 1);
    await store.flush(bus);
    expect(saved()['counter post_task_execute']).toMatchObject({ calls: 3 });
  });

  it('counts again from zero after the host resets its bus, even past what was written before', async () => {
    const store = new HistoryStore(marathonHome(sandbox.home));
    const bus = new HookBus();
    calls(bus, 2);
    await store.flush(bus);
    bus.metrics.reset();
    calls(bus, 3);
    await store.flush(bus);
    expect(saved()['counter post_task_execute']).toMatchObject({ calls: 5 });
  });
});
