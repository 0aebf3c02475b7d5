// Issue 16: `marathon <plugin> <command>` that oclif has no command for is sent to `plugin run` when
// <plugin> is installed (issue 15). When the installed plugins could not be read — a damaged
// state.json, a sync under way or interrupted — the CLI fell back to oclif's glued
// `command x:y:z not found`, as if the plugin did not exist; it now says why it cannot tell.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  mkdirSync(ws.home, { recursive: true });
});
afterEach(() => ws.cleanup());

test('a state.json that is not JSON is named, with what to run', async () => {
  writeFileSync(join(ws.home, 'state.json'), '{not json');
  const outcome = await ws.run(['greeter', 'greet', 'Ada']);
  expect(outcome.code).toBe(2);
  const text = outcome.stderr.replace(/\s*›\s*/g, ' ');
  expect(text).toContain("command 'greeter greet Ada' not found, and Marathon cannot tell whether 'greeter' is an installed plugin");
  expect(text).toContain(`${join(ws.home, 'state.json')} is not JSON`);
  expect(text).toContain('marathon plugin list');
  expect(text).not.toContain('greeter:greet:Ada');
});

test('a state.json of another shape is named too', async () => {
  writeFileSync(join(ws.home, 'state.json'), JSON.stringify({ version: 2 }));
  const text = (await ws.run(['greeter', 'greet'])).stderr.replace(/\s*›\s*/g, ' ');
  expect(text).toContain('is not a state file this Marathon reads');
});

test('a sync under way or interrupted is said to be one; once plugin list rolled it back, the plain answer', async () => {
  // A sync's trash folder, owned by a process that is gone: an interrupted sync.
  mkdirSync(join(ws.home, 'staging', 'stage-2147483646-sync-test'), { recursive: true });
  const pending = await ws.run(['greeter', 'greet']);
  expect(pending.code).toBe(2);
  expect(pending.stderr.replace(/\s*›\s*/g, ' ')).toContain(
    'a plugin sync is under way or was interrupted; try again once `marathon plugin list` answers',
  );
  await ws.ok(['plugin', 'list']);
  const after = await ws.run(['greeter', 'greet']);
  expect(after.code).toBe(2);
  expect(after.stderr).toContain('command greeter:greet not found');
});
