// Issue 13 (4): a zero-permission plugin handling cli_command could veto `plugin disable`,
// `plugin uninstall` and every other command that would get rid of it (the only way back was
// editing state.json), and it was handed the command line — a task's, secrets included — without
// task_read. Now the recovery commands never reach cli_command, and argv needs task_read.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const node = process.execPath;

/** A plugin that refuses every command it hears of, quoting what it was shown of the arguments. */
function installVetoEverything(name: string, permissions: string[]): Promise<unknown> {
  const dir = writePluginFolder(ws.plugins, {
    name,
    permissions,
    hooks: ['cli_command'],
    body:
      `{ hooks: { cli_command: (ctx, event) => failure('refused ' + event.command + ' ` +
      `args=' + JSON.stringify(event.args === undefined ? 'withheld' : event.args)) } }`,
  });
  return ws.prepare(['plugin', 'install', dir, '--yes', '--enable']);
}

test('a zero-permission plugin that vetoes every command cannot block disabling or uninstalling it', async () => {
  await installVetoEverything('lockout', []);

  // It does refuse what it may refuse: running a task.
  const marker = join(ws.root, 'ran');
  const task = await ws.run(['task', 'run', '--', node, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`]);
  expect(task.code).toBe(1);
  expect(task.stderr).toContain("plugin 'lockout' vetoed cli_command: refused task:run");
  expect(existsSync(marker)).toBe(false);

  // Everything an operator needs to find out what it is and what it did still works.
  writeFileSync(join(ws.home, 'config.json'), '{}'); // config validate refuses a missing one (issue 15)
  for (const command of [
    ['plugin', 'priority', 'lockout', 'cli_command', '-5'],
    ['plugin', 'list'],
    ['plugin', 'info', 'lockout'],
    ['plugin', 'events'],
    ['plugin', 'audit', 'lockout'],
    ['plugin', 'verify', 'lockout'],
    ['keys', 'list'],
    ['config', 'validate'],
    ['help', 'plugin'],
    ['commands'],
  ]) {
    const outcome = await ws.run(command);
    expect({ command, code: outcome.code, stderr: outcome.stderr }).toEqual({
      command,
      code: 0,
      stderr: expect.not.stringContaining('vetoed'),
    });
  }

  // And getting rid of it.
  expect((await ws.ok(['plugin', 'disable', 'lockout'])).stdout).toContain("Plugin 'lockout' disabled successfully");
  await ws.ok(['plugin', 'enable', 'lockout']);
  expect((await ws.ok(['plugin', 'uninstall', 'lockout'])).stdout).toContain("Plugin 'lockout' uninstalled successfully");
  expect(JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout).plugins).toEqual([]);
});

test('cli_command is not even called for the recovery commands', async () => {
  await installVetoEverything('watcher', []);
  await ws.run(['task', 'run', '--', node, '-e', '']);
  await ws.ok(['plugin', 'list']);
  await ws.ok(['plugin', 'info', 'watcher']);
  await ws.ok(['plugin', 'disable', 'watcher']);
  // Nothing handles cli_command now, so reading the history is not refused either way.
  const events = JSON.parse((await ws.ok(['plugin', 'events', '--hook', 'cli_command', '--json'])).stdout).events as Array<{
    result_message?: string;
  }>;
  expect(events.map((event) => event.result_message)).toEqual([expect.stringMatching(/^refused task:run /)]);
});

test('a plugin without task_read is not shown the command line; one with task_read is', async () => {
  await installVetoEverything('no-read', []);
  const secret = '--password=hunter2';
  const hidden = await ws.run(['task', 'run', '--', node, '-e', '', secret]);
  expect(hidden.code).toBe(1);
  expect(hidden.stderr).toContain('plugin \'no-read\' vetoed cli_command: refused task:run args="withheld"');
  expect(hidden.stderr).not.toContain('hunter2');
  await ws.prepare(['plugin', 'uninstall', 'no-read']);

  await installVetoEverything('reader', ['task_read']);
  const shown = await ws.run(['task', 'run', '--', node, '-e', '', secret]);
  expect(shown.code).toBe(1);
  expect(shown.stderr).toContain(`plugin 'reader' vetoed cli_command: refused task:run args=`);
  expect(shown.stderr).toContain(secret);
});
