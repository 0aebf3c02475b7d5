// Issue 20, quarantine through the real binary: a plugin failing in every `marathon task run` (a new
// process each time) is counted across them and put in error once it reaches config.json's
// threshold; `plugin list` then names it with the reason and the command that brings it back.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { installPluginFolder } from './plugin-folder';

let ws: Workspace;
beforeAll(async () => {
  ws = workspace();
  await installPluginFolder(ws, {
    name: 'flaky',
    permissions: ['task_read'],
    hooks: ['post_task_execute'],
    body: "{ hooks: { post_task_execute: () => { throw new Error('webhook unreachable'); } } }",
  });
  writeFileSync(join(ws.home, 'config.json'), JSON.stringify({ quarantine: { max_faults: 3 } }));
});
afterAll(() => ws.cleanup());

test('a plugin failing in every task run is quarantined at the threshold, and plugin list says why and what to run', async () => {
  const task = ['task', 'run', '--name', 'quick', '--', process.execPath, '-e', ''];
  for (let run = 1; run <= 3; run += 1) {
    const outcome = await ws.run(task);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain("plugin 'flaky' failed in post_task_execute");
  }
  // Quarantined: the next run no longer calls it.
  const after = await ws.run(task);
  expect(after.code).toBe(0);
  expect(after.stderr).not.toContain('flaky');

  const list = await ws.ok(['plugin', 'list']);
  expect(list.stdout).toContain('Summary: 1 total, 0 enabled, 0 disabled, 1 errors');
  expect(list.stdout).toMatch(
    /\n❌ flaky: quarantined: 3 faults in 60 s \(last: .*webhook unreachable.*\); fix it and run marathon plugin enable flaky\n/,
  );
  const json = JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout) as { plugins: Array<{ status: string; error?: string }> };
  expect(json.plugins[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/^quarantined: 3 faults/) as string });
});
