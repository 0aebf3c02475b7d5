import { effectiveSettings, readManifest, type SettingValue } from '@marathon/manifest';
import { loadPlugin, taskEvent, type TestPlugin } from '@marathon/plugin-testing';
import { built } from './example-folder';

const DEFAULT_RULES = ['^rm -rf /( |$)', '\\bmkfs(\\.| |$)', '^dd .*of=/dev/'];

let plugin: TestPlugin | undefined;
afterEach(async () => {
  await plugin?.close();
  plugin = undefined;
});

/** Loads it with ctx.config as the host computes it: plugin.json's defaults, overridden by the operator's values. */
async function load(operator: Record<string, SettingValue> = {}): Promise<TestPlugin> {
  const folder = built('task-policy');
  const { configuration } = await readManifest(folder);
  plugin = await loadPlugin(folder, { config: effectiveSettings(configuration, operator, {}).config });
  return plugin;
}

test('declares its rules and timeout as settings, with the defaults it enforces', async () => {
  const { manifest } = await load();
  expect(manifest.configuration).toEqual({
    rules: { type: 'array', description: expect.any(String), default: DEFAULT_RULES },
    timeout_s: { type: 'integer', description: expect.any(String), default: 3600, minimum: 0, maximum: 86400 },
  });
  expect(manifest.commands.map((command) => command.name)).toEqual(['rules']);
  expect(manifest.hooks.map((hook) => hook.name)).toEqual(['pre_task_submit', 'config_validate']);
});

test('vetoes a command line that matches a deny rule', async () => {
  const policy = await load();
  const result = await policy.hook('pre_task_submit', taskEvent({ command: 'rm', args: ['-rf', '/'] }));
  expect(result).toMatchObject({ success: false, message: "'rm -rf /' matches the deny rule /^rm -rf /( |$)/" });
  expect((await policy.hook('pre_task_submit', taskEvent({ command: 'rm', args: ['-rf', '/tmp/build'] }))).success).toBe(true);
});

test('rewrites other tasks with the default timeout (task_write), unless they have one', async () => {
  const policy = await load();
  const result = await policy.hook('pre_task_submit', taskEvent({ id: 't-1' }));
  expect(result).toMatchObject({
    success: true,
    message: 'allowed, timeout 3600 s',
    result_data: { task: { id: 't-1', timeout_ms: 3_600_000 } },
  });
  const own = await policy.hook('pre_task_submit', taskEvent({ timeout_ms: 5000 }));
  expect(own).toMatchObject({ success: true, message: 'allowed' });
  expect(own.result_data).toBeUndefined();
});

test("the operator's rules and timeout replace the defaults; `rules` shows what is in effect", async () => {
  const policy = await load({ rules: ['^curl .*\\|'], timeout_s: 60 });
  expect((await policy.command('rules'))!.split('\n')).toEqual(['deny /^curl .*\\|/', 'default timeout: 60 s']);
  expect((await policy.hook('pre_task_submit', taskEvent({ command: 'curl', args: ['-s', 'x', '|'] }))).success).toBe(false);
  expect(await policy.hook('pre_task_submit', taskEvent({ id: 't-2', command: 'rm', args: ['-rf', '/'] }))).toMatchObject({
    success: true,
    result_data: { task: { id: 't-2', timeout_ms: 60_000 } },
  });
  // Nothing of the policy is kept in its own store any more.
  expect(await policy.storage()).toEqual({});
});

test('timeout_s 0 adds no timeout', async () => {
  const policy = await load({ timeout_s: 0 });
  expect(await policy.command('rules')).toContain('default timeout: none');
  const result = await policy.hook('pre_task_submit', taskEvent({}));
  expect(result).toMatchObject({ success: true, message: 'allowed' });
  expect(result.result_data).toBeUndefined();
});

test('a rule that does not compile refuses every task, saying how to fix it', async () => {
  const policy = await load({ rules: ['(unclosed'] });
  const result = await policy.hook('pre_task_submit', taskEvent({ command: 'make' }));
  expect(result.success).toBe(false);
  expect(result.message).toMatch(
    /^\/\(unclosed\/ is not a valid regular expression: .*; fix it with marathon plugin config task-policy rules$/,
  );
});

describe('config_validate', () => {
  const offered = (name: string, settings: Record<string, SettingValue>) => ({ config: { plugin: name, settings } });

  test('refuses task-policy rules that are not regular expressions, naming each', async () => {
    const policy = await load();
    const result = await policy.hook('config_validate', offered('task-policy', { rules: ['^ok', '(unclosed', '[z-a]'] }));
    expect(result.success).toBe(false);
    expect(result.message).toMatch(
      /^\/\(unclosed\/ is not a valid regular expression: .*; \/\[z-a\]\/ is not a valid regular expression: /,
    );
  });

  test("accepts rules that compile, other settings, other plugins' settings and config.json", async () => {
    const policy = await load();
    expect(await policy.hook('config_validate', offered('task-policy', { rules: ['^curl .*\\| *sh'], timeout_s: 5 }))).toMatchObject({
      success: true,
    });
    expect((await policy.hook('config_validate', offered('task-policy', { timeout_s: 5 }))).success).toBe(true);
    expect((await policy.hook('config_validate', offered('other', { rules: ['(unclosed'] }))).success).toBe(true);
    expect((await policy.hook('config_validate', { config: { plugins: { 'task-policy': { rules: ['('] } } } })).success).toBe(true);
  });
});

test('declares its dependency on task-audit-log', async () => {
  expect((await load()).manifest.dependencies).toEqual({ 'task-audit-log': '^1.0.0' });
});
