// The host fires real hooks: task run (authz, submit with veto and rewrite, execute, result),
// config validate, and cli_command before every command.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { installPluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const node = process.execPath;

test('task run streams the command output and exits with its code', async () => {
  const outcome = await ws.run([
    'task',
    'run',
    '--',
    node,
    '-e',
    'process.stdout.write("to stdout\\n"); process.stderr.write("to stderr\\n"); process.exit(7)',
  ]);
  expect(outcome.code).toBe(7);
  expect(outcome.stdout).toBe('to stdout\n');
  expect(outcome.stderr).toBe('to stderr\n');
});

test('task run passes arguments without a shell', async () => {
  const outcome = await ws.ok([
    'task',
    'run',
    '--',
    node,
    '-e',
    'console.log(JSON.stringify(process.argv.slice(1)))',
    '$HOME',
    '*',
    'a b;c',
  ]);
  expect(JSON.parse(outcome.stdout)).toEqual(['$HOME', '*', 'a b;c']);
});

test('task run refuses a missing command and reports one that cannot be found', async () => {
  const empty = await ws.run(['task', 'run']);
  expect(empty.code).toBe(1);
  expect(empty.stderr).toContain('marathon task run -- echo hello');
  const missing = await ws.run(['task', 'run', '--', 'no-such-command-marathon']);
  expect(missing.code).toBe(127);
  expect(missing.stderr).toContain('command not found: no-such-command-marathon');
});

test('a pre_task_submit veto names the plugin and the reason, and nothing runs', async () => {
  await installPluginFolder(ws, {
    name: 'change-freeze',
    permissions: ['task_read'],
    hooks: ['pre_task_submit'],
    body: `{ hooks: { pre_task_submit: (ctx, event) => event.task.name === 'deploy' ? failure('deploys are frozen until Monday') : success() } }`,
  });
  const marker = join(ws.root, 'ran');
  const script = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`;
  const vetoed = await ws.run(['task', 'run', '--name', 'deploy', '--', node, '-e', script]);
  expect(vetoed.code).toBe(1);
  expect(vetoed.stderr).toContain("plugin 'change-freeze' vetoed pre_task_submit: deploys are frozen until Monday");
  expect(vetoed.stderr).toContain('Nothing was run');
  expect(existsSync(marker)).toBe(false);
  // Another name passes the same plugin.
  await ws.ok(['task', 'run', '--name', 'build', '--', node, '-e', script]);
  expect(existsSync(marker)).toBe(true);
});

test('pre_task_execute and user_authz vetoes stop the task too', async () => {
  await installPluginFolder(ws, {
    name: 'guard',
    permissions: ['task_read'],
    hooks: ['user_authz', 'pre_task_execute'],
    body: `{ hooks: {
      user_authz: (ctx, event) => event.resource === 'secret' ? failure('nobody may run secret tasks') : success(),
      pre_task_execute: (ctx, event) => event.task.args.includes('--dangerous') ? failure('no dangerous flags') : success(),
    } }`,
  });
  const authz = await ws.run(['task', 'run', '--name', 'secret', '--', node, '-e', '']);
  expect(authz.code).toBe(1);
  expect(authz.stderr).toContain("plugin 'guard' vetoed user_authz: nobody may run secret tasks");
  const execute = await ws.run(['task', 'run', '--', node, '-e', 'console.log("ran")', '--dangerous']);
  expect(execute.code).toBe(1);
  expect(execute.stdout).toBe('');
  expect(execute.stderr).toContain("plugin 'guard' vetoed pre_task_execute: no dangerous flags");
});

test('with task_write a pre_task_submit plugin rewrites the task; post_task_execute sees exit code and duration', async () => {
  await installPluginFolder(ws, {
    name: 'rewriter',
    permissions: ['task_read', 'task_write'],
    hooks: ['pre_task_submit'],
    body: `{ hooks: { pre_task_submit: (ctx, event) => success('tagged', { task: { ...event.task, args: [...event.task.args, 'added-by-plugin'] } }) } }`,
  });
  await installPluginFolder(ws, {
    name: 'recorder',
    permissions: ['task_read'],
    hooks: ['post_task_execute', 'post_task_submit'],
    commands: [{ name: 'last', description: 'The last task result' }],
    body: `{
      hooks: {
        post_task_submit: async (ctx, event) => { await ctx.storage.set('submitted', event.task.name); return success(); },
        post_task_execute: async (ctx, event) => { await ctx.storage.set('last', event.result); return success(); },
      },
      commands: { last: async (ctx) => JSON.stringify({ submitted: await ctx.storage.get('submitted'), last: await ctx.storage.get('last') }) },
    }`,
  });
  const run = await ws.run([
    'task',
    'run',
    '--name',
    'args',
    '--',
    node,
    '-e',
    'console.log(process.argv.slice(1).join(",")); process.exit(3)',
    'given',
  ]);
  expect(run.stdout).toBe('given,added-by-plugin\n');
  expect(run.code).toBe(3);
  const recorded = JSON.parse((await ws.ok(['recorder:last'])).stdout);
  expect(recorded.submitted).toBe('args');
  expect(recorded.last.exit_code).toBe(3);
  expect(recorded.last.duration_ms).toBeGreaterThanOrEqual(0);
});

test('config validate checks JSON, the security policy and config_validate plugins', async () => {
  const none = await ws.run(['config', 'validate']);
  expect(none.code).toBe(1);
  expect(none.stderr).toContain('no config.json at');
  const file = join(ws.root, 'config.json');
  const write = (text: string) => require('node:fs').writeFileSync(file, text);
  write('{ "max_plugin_size": 1048576 }');
  expect(JSON.parse((await ws.ok(['config', 'validate', file, '--json'])).stdout)).toEqual({ file, valid: true });
  write('{ not json');
  const broken = await ws.run(['config', 'validate', file]);
  expect(broken.code).toBe(1);
  expect(broken.stderr).toContain('is not valid JSON');
  write('{ "limits": 5 }');
  const invalid = await ws.run(['config', 'validate', file, '--json']);
  expect(invalid.code).toBe(1);
  expect(JSON.parse(invalid.stdout).error).toMatchObject({ code: 'POLICY_INVALID' });
  const missing = await ws.run(['config', 'validate', join(ws.root, 'nope.json')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('ENOENT');

  await installPluginFolder(ws, {
    name: 'strict-config',
    hooks: ['config_validate'],
    body:
      `{ hooks: { config_validate: (ctx, event) => event.config.plugins?.['strict-config']?.owner ` +
      `=== undefined ? failure('every config needs an owner') : success() } }`,
  });
  write('{}');
  const vetoed = await ws.run(['config', 'validate', file]);
  expect(vetoed.code).toBe(1);
  expect(vetoed.stderr).toContain("plugin 'strict-config' vetoed config_validate: every config needs an owner");
  write('{ "plugins": { "strict-config": { "owner": "ops" } } }');
  await ws.ok(['config', 'validate', file]);
});

test('a cli_command plugin can veto any command, including plugin commands', async () => {
  await installPluginFolder(ws, {
    name: 'gatekeeper',
    hooks: ['cli_command'],
    body:
      `{ hooks: { cli_command: (ctx, event) => ['plugin:refresh', 'hello-world:hello'].includes(event.command) ` +
      `? failure(event.command + ' is disabled here') : success() } }`,
  });
  const refused = await ws.run(['plugin', 'refresh']);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toBe('');
  expect(refused.stderr).toContain("plugin 'gatekeeper' vetoed cli_command: plugin:refresh is disabled here");
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  const pluginCommand = await ws.run(['hello-world', 'hello']);
  expect(pluginCommand.code).toBe(1);
  expect(pluginCommand.stdout).toBe('');
  expect(pluginCommand.stderr).toContain("plugin 'gatekeeper' vetoed cli_command: hello-world:hello is disabled here");
  expect((await ws.ok(['hello-world', 'greet', 'Ada'])).stdout).toContain('Hello, Ada!');
  const events = JSON.parse((await ws.ok(['plugin', 'events', '--hook', 'cli_command', '--json'])).stdout);
  expect(events.events.some((event: { success: boolean }) => event.success === false)).toBe(true);
});
