// History, metrics and audit are written to MARATHON_HOME in batches, not after every dispatch, and
// nothing is lost: not to the bounded in-memory history, not at close, not to a reader in the same process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HookBus } from '@marathon/events';
import type { PluginManagerOptions } from '@marathon/manager';
import { task, useManager, writePlugin } from './helpers';

const { sandbox, manager, reopen, close } = useManager({ open: false });
beforeEach(() => {
  writePlugin(sandbox.plugins, { name: 'counter', permissions: ['task_read'], hooks: ['post_task_execute'] });
});

const eventsFile = () => join(sandbox.home, 'history', 'events.jsonl');
const linesWritten = () => (existsSync(eventsFile()) ? readFileSync(eventsFile(), 'utf8').trim().split('\n').filter(Boolean).length : 0);

async function ready(options: PluginManagerOptions): Promise<void> {
  const opened = await reopen(options);
  await opened.install('counter', { yes: true });
  await opened.enable('counter');
}

it('waits to write, then writes every dispatch at close', async () => {
  await ready({ historyWriteMs: 60_000 });
  const before = linesWritten();
  for (let i = 0; i < 5; i++) await manager().dispatch('post_task_execute', task(`t-${i}`));
  expect(linesWritten()).toBe(before);
  await close();
  expect(linesWritten()).toBe(before + 5);
});

it('writes at once when the in-memory history is half full, so the ring never drops an unwritten record', async () => {
  await ready({ historyWriteMs: 60_000, bus: new HookBus({ historyCapacity: 8 }) });
  const before = linesWritten();
  for (let i = 0; i < 20; i++) await manager().dispatch('post_task_execute', task(`t-${i}`));
  // With a ring of 8, batches of 4 were written as they filled; the rest waits for close.
  expect(linesWritten() - before).toBe(20);
  await close();
  expect(linesWritten() - before).toBe(20);
});

it('a reader in the same process sees what is not yet written', async () => {
  await ready({ historyWriteMs: 60_000 });
  await manager().dispatch('post_task_execute', task('t-read'));
  const events = await manager().eventHistory({ plugin: 'counter' });
  expect(events.filter((record) => record.hook_type === 'post_task_execute')).toHaveLength(1);
  expect((await manager().info('counter')).metrics).toEqual([expect.objectContaining({ hook: 'post_task_execute', calls: 1 })]);
});

it('writes after every dispatch when historyWriteMs is 0', async () => {
  await ready({ historyWriteMs: 0 });
  const before = linesWritten();
  await manager().dispatch('post_task_execute', task('t-now'));
  expect(linesWritten()).toBe(before + 1);
});

it('counts every call in the persisted metrics while writes run between dispatches', async () => {
  await ready({ historyWriteMs: 1 });
  for (let i = 0; i < 150; i++) await manager().dispatch('post_task_execute', task(`t-${i}`));
  await reopen();
  expect((await manager().info('counter')).metrics).toEqual([expect.objectContaining({ hook: 'post_task_execute', calls: 150 })]);
  expect(await manager().eventHistory({ plugin: 'counter', hook: 'post_task_execute' })).toHaveLength(150);
});
