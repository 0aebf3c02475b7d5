import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlugin, PluginTestError, taskEvent, type TestPlugin } from '@marathon/plugin-testing';

const folder = join(__dirname, 'fixtures', 'kit-demo');
let plugin: TestPlugin | undefined;
afterEach(async () => {
  await plugin?.close();
  plugin = undefined;
});

test('runs commands in the real sandbox, with the environment the test gives', async () => {
  plugin = await loadPlugin(folder, { env: { GREETING: 'Hej', HOME: '/root' } });
  expect(await plugin.command('greet', ['Ada'])).toBe('Hej, Ada!');
  expect(plugin.logs.map((entry) => [entry.level, entry.message])).toEqual([['info', 'ready']]);
  expect(plugin.manifest.name).toBe('kit-demo');
});

test('calls hooks: a veto, a rewrite, and effects on the data folder and the store', async () => {
  plugin = await loadPlugin(folder);
  expect(await plugin.hook('pre_task_submit', taskEvent({ command: 'rm' }))).toMatchObject({ success: false, message: 'no rm here' });
  const rewrite = await plugin.hook('pre_task_submit', taskEvent({ args: ['all'] }));
  expect(rewrite.result_data).toMatchObject({ task: { args: ['all', '--checked'] } });
  expect(await plugin.hook('post_task_execute', taskEvent({ id: 't-7' }, { exit_code: 2, duration_ms: 40 }))).toMatchObject({
    success: true,
    message: 'recorded',
  });
  expect(readFileSync(join(plugin.dataDir, 'done.jsonl'), 'utf8')).toBe('{"id":"t-7","exit_code":2}\n');
  expect(await plugin.storage()).toEqual({ last: 't-7' });
});

test('stubs answer network and exec; the checks of the manifest still apply', async () => {
  plugin = await loadPlugin(folder, {
    fetch: [{ url: 'https://status.example.com/api', response: { status: 200, body: '{"state":"green"}' } }],
    exec: [{ command: 'git', args: ['rev-parse', '--short', 'HEAD'], result: { stdout: 'abc1234\n' } }],
  });
  expect(await plugin.command('status')).toBe('200: green');
  expect(await plugin.command('head')).toBe('abc1234');
  expect(plugin.audit.map((entry) => `${entry.capability} ${entry.target} ${entry.allowed ? 'allowed' : 'denied'}`)).toEqual([
    'net.fetch https://status.example.com/api allowed',
    'exec git rev-parse --short HEAD allowed',
  ]);
});

test('a failing command throws a PluginTestError naming the plugin and the command', async () => {
  plugin = await loadPlugin(folder);
  const error = await plugin.command('fail').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginTestError);
  expect((error as PluginTestError).message).toMatch(/^kit-demo fail: .*this command always fails/);
});

test('close removes the temporary data folder', async () => {
  const loaded = await loadPlugin(folder);
  await loaded.hook('post_task_execute', taskEvent({}, { exit_code: 0, duration_ms: 1 }));
  expect(existsSync(loaded.dataDir)).toBe(true);
  await loaded.close();
  expect(existsSync(loaded.dataDir)).toBe(false);
});

test('a folder that is not a plugin is refused with the manifest problems', async () => {
  await expect(loadPlugin(join(__dirname, 'fixtures'))).rejects.toThrow(/plugin\.json/);
});

test('config is what the plugin reads as ctx.config; {} when the test gives none', async () => {
  const config = { blocked: ['rm', 'dd'], timeout_s: 30 };
  plugin = await loadPlugin(join(__dirname, 'fixtures', 'config-demo'), { config });
  expect(JSON.parse((await plugin.command('settings'))!)).toEqual(config);
  expect(await plugin.hook('pre_task_submit', taskEvent({ command: 'dd' }))).toMatchObject({ success: false, message: 'dd is blocked' });
  expect(await plugin.hook('pre_task_submit', taskEvent({ command: 'ls' }))).toMatchObject({ success: true });
  await plugin.close();
  plugin = await loadPlugin(join(__dirname, 'fixtures', 'config-demo'));
  expect(await plugin.command('settings')).toBe('{}');
  expect(await plugin.hook('pre_task_submit', taskEvent({ command: 'dd' }))).toMatchObject({ success: true });
});
