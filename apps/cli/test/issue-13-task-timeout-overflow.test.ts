// Issue 13 (8): a task_write plugin setting timeout_ms above 2^31−1 made every task "time out"
// after 1 ms (setTimeout's overflow) and exit 124. Such a timeout is now refused, naming the plugin.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const MAX = 2 ** 31 - 1;

test('a timeout_ms above 2^31−1 is refused before anything runs; the maximum itself works', async () => {
  // The task's name says which timeout the plugin gives it.
  const dir = writePluginFolder(ws.plugins, {
    name: 'long-timeout',
    permissions: ['task_read', 'task_write'],
    hooks: ['pre_task_submit'],
    body: `{ hooks: { pre_task_submit: (ctx, event) => success('timeout set', { task: { ...event.task, timeout_ms: Number(event.task.name) } }) } }`,
  });
  await ws.ok(['plugin', 'install', dir, '--yes', '--enable']);
  const marker = join(ws.root, 'ran');
  // Takes well over 1 ms, which is what the overflowed timer allowed.
  const script = `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'), 50)`;

  const refused = await ws.run(['task', 'run', '--name', String(MAX + 1), '--', process.execPath, '-e', script]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    `task refused: plugin 'long-timeout' set timeout_ms to ${MAX + 1}, above the longest a task can be given (${MAX} ms`,
  );
  expect(refused.stderr).toContain('Nothing was run');
  expect(existsSync(marker)).toBe(false);

  const atMost = await ws.run(['task', 'run', '--name', String(MAX), '--', process.execPath, '-e', script]);
  expect(atMost.stderr).toBe('');
  expect(atMost.code).toBe(0);
  expect(existsSync(marker)).toBe(true);
});
