import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlugin, taskEvent, PluginTestError, type TestPlugin } from '@marathon/plugin-testing';
import { built } from './example-folder';

let plugin: TestPlugin;
beforeEach(async () => {
  plugin = await loadPlugin(built('task-audit-log'));
});
afterEach(() => plugin.close());

test('appends one JSON line per executed task to its data folder', async () => {
  await plugin.hook(
    'post_task_execute',
    taskEvent({ id: 'a', name: 'build', command: 'make', args: ['all'] }, { exit_code: 0, duration_ms: 1900 }),
  );
  await plugin.hook(
    'post_task_execute',
    taskEvent({ id: 'b', name: 'test', command: 'npm', args: ['test'] }, { exit_code: 1, duration_ms: 250 }),
  );
  const lines = readFileSync(join(plugin.dataDir, 'tasks.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(lines).toEqual([
    expect.objectContaining({
      id: 'a',
      name: 'build',
      command: 'make',
      args: ['all'],
      submitted_by: 'tester',
      exit_code: 0,
      duration_ms: 1900,
    }),
    expect.objectContaining({ id: 'b', exit_code: 1, duration_ms: 250 }),
  ]);
  expect(plugin.audit.map((entry) => `${entry.capability} ${entry.target}`)).toEqual(['fs.append tasks.jsonl', 'fs.append tasks.jsonl']);
});

test('tail shows the newest n, and says so when there are none', async () => {
  expect(await plugin.command('tail')).toBe('No tasks recorded yet.');
  for (const id of ['1', '2', '3'])
    await plugin.hook('post_task_execute', taskEvent({ id, name: `job-${id}` }, { exit_code: 0, duration_ms: 1000 }));
  const tail = (await plugin.command('tail', ['2']))!.split('\n');
  expect(tail).toHaveLength(2);
  expect(tail[0]).toMatch(/^\d{4}-\d\d-\d\dT.*Z {2}job-2 \(make\) by tester: exit 0 in 1\.0 s$/);
  expect(tail[1]).toContain('job-3');
  await expect(plugin.command('tail', ['-1'])).rejects.toThrow(PluginTestError);
});
