import { loadPlugin, taskEvent, type TestPlugin } from '@marathon/plugin-testing';
import { built } from './example-folder';

let plugin: TestPlugin;
beforeEach(async () => {
  plugin = await loadPlugin(built('task-policy'));
});
afterEach(() => plugin.close());

test('vetoes a command line that matches a deny rule', async () => {
  const result = await plugin.hook('pre_task_submit', taskEvent({ command: 'rm', args: ['-rf', '/'] }));
  expect(result).toMatchObject({ success: false, message: "'rm -rf /' matches the deny rule /^rm -rf /( |$)/" });
  expect((await plugin.hook('pre_task_submit', taskEvent({ command: 'rm', args: ['-rf', '/tmp/build'] }))).success).toBe(true);
});

test('rewrites other tasks with the default timeout (task_write), unless they have one', async () => {
  const result = await plugin.hook('pre_task_submit', taskEvent({ id: 't-1' }));
  expect(result).toMatchObject({
    success: true,
    message: 'allowed, timeout 3600 s',
    result_data: { task: { id: 't-1', timeout_ms: 3_600_000 } },
  });
  const own = await plugin.hook('pre_task_submit', taskEvent({ timeout_ms: 5000 }));
  expect(own).toMatchObject({ success: true, message: 'allowed' });
  expect(own.result_data).toBeUndefined();
});

test('rules are changed with its commands and kept in its store', async () => {
  expect(await plugin.command('deny', ['^curl .*\\|'])).toBe('deny /^curl .*\\|/');
  expect(await plugin.command('timeout', ['60'])).toBe('default timeout: 60 s');
  expect((await plugin.command('rules'))!.split('\n')).toEqual([
    'deny /^rm -rf /( |$)/',
    'deny /\\bmkfs(\\.| |$)/',
    'deny /^dd .*of=/dev//',
    'deny /^curl .*\\|/',
    'default timeout: 60 s',
  ]);
  expect((await plugin.hook('pre_task_submit', taskEvent({ command: 'curl', args: ['-s', 'x', '|'] }))).success).toBe(false);
  expect(await plugin.command('allow', ['^curl .*\\|'])).toBe('removed /^curl .*\\|/');
  expect(await plugin.storage()).toEqual({ policy: { rules: ['^rm -rf /( |$)', '\\bmkfs(\\.| |$)', '^dd .*of=/dev/'], timeout_s: 60 } });
  await expect(plugin.command('deny', ['(unclosed'])).rejects.toThrow(/is not a valid regular expression/);
  await expect(plugin.command('allow', ['nope'])).rejects.toThrow(/there is no rule \/nope\//);
  await expect(plugin.command('timeout', ['soon'])).rejects.toThrow(/give whole seconds/);
});

test('declares its dependency on task-audit-log', () => {
  expect(plugin.manifest.dependencies).toEqual({ 'task-audit-log': '^1.0.0' });
});
