// Issue 15, item 12: the manager passes on where in a plugin's code a failure happened, for the
// CLI to print under DEBUG: a failed command's or init's SandboxError (with its pluginStack) is
// its ManagerError's `cause`; a failed hook call is reported on `manager().events` as `hook_failed`.
// The stack is printed, not kept: nothing of it reaches the history files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxError } from '@marathon/security/sandbox';
import { managerError, task, useManager, writePlugin } from './helpers';

const { sandbox, manager } = useManager({ options: { historyWriteMs: 0 } });

// writePlugin writes index.js as the import line, the (empty) prelude line, then
// `export default definePlugin(` and the body: the body's first line is line 3.
const BODY = [
  '{',
  "  hooks: { post_task_execute: () => { throw new Error('hook broke'); } },",
  "  commands: { x: () => { throw new Error('command broke'); } },",
  '}',
].join('\n');

it('a failed command is a COMMAND_FAILED whose cause holds the plugin stack', async () => {
  writePlugin(sandbox.plugins, { name: 'thrower', permissions: ['task_read'], hooks: ['post_task_execute'], commands: ['x'], body: BODY });
  await manager().install('thrower');
  await manager().enable('thrower');
  const error = await managerError(() => manager().run('thrower', 'x'));
  expect(error).toMatchObject({ code: 'COMMAND_FAILED', message: "plugin 'thrower' failed: command broke" });
  expect((error.cause as SandboxError).pluginStack).toMatch(/^at x \(index\.js:5:\d+\)$/);
});

it('a failed hook call is reported as hook_failed with its error; the history keeps no stack', async () => {
  writePlugin(sandbox.plugins, { name: 'thrower', permissions: ['task_read'], hooks: ['post_task_execute'], commands: ['x'], body: BODY });
  await manager().install('thrower');
  await manager().enable('thrower');
  const failed: Array<{ plugin: string; hook: string; error: SandboxError }> = [];
  manager().events.on('hook_failed', (event) => void failed.push(event));
  const outcome = await manager().dispatch('post_task_execute', { ...task(), result: { exit_code: 0, duration_ms: 1 } });
  expect(outcome.results.map((r) => [r.plugin, r.result.success])).toEqual([['thrower', false]]);
  expect(failed).toEqual([{ plugin: 'thrower', hook: 'post_task_execute', error: expect.objectContaining({ code: 'HANDLER_FAILED' }) }]);
  expect(failed[0]!.error.pluginStack).toMatch(/^at post_task_execute \(index\.js:4:\d+\)$/);

  await manager().close();
  const history = join(sandbox.home, 'history');
  const written = readdirSync(history)
    .map((file) => readFileSync(join(history, file), 'utf8'))
    .join('\n');
  expect(written).toContain('hook broke');
  expect(written).not.toContain('index.js:');
});

it('an init that throws is an INIT_FAILED whose cause holds the plugin stack', async () => {
  writePlugin(sandbox.plugins, {
    name: 'grumpy',
    commands: ['x'],
    body: "{\n  init: () => { throw new Error('no config'); },\n  commands: { x: () => 'x' },\n}",
  });
  await manager().install('grumpy');
  await manager()
    .enable('grumpy')
    .catch(() => undefined);
  const error = await managerError(() => manager().run('grumpy', 'x'));
  expect(error.code).toBe('INIT_FAILED');
  expect((error.cause as SandboxError).pluginStack).toMatch(/^at init \(index\.js:4:\d+\)$/);
});
