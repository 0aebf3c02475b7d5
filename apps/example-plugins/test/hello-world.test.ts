import { loadPlugin, taskEvent, type TestPlugin } from '@marathon/plugin-testing';
import { built } from './example-folder';

let plugin: TestPlugin;
beforeAll(async () => {
  plugin = await loadPlugin(built('hello-world'));
});
afterAll(() => plugin.close());

test("says the lines of docs/design.md's transcript, character for character", async () => {
  expect(await plugin.command('hello')).toBe('Hello, World!');
  expect(await plugin.command('greet', ['Marathon'])).toBe('Hello, Marathon! Greetings from the hello-world plugin.');
});

test('logs every finished task', async () => {
  const result = await plugin.hook('post_task_execute', taskEvent({ id: 't-42' }, { exit_code: 0, duration_ms: 12 }));
  expect(result).toMatchObject({ success: true, message: 'logged' });
  expect(plugin.logs.at(-1)).toMatchObject({
    level: 'info',
    message: 'task finished',
    fields: JSON.stringify({ id: 't-42', exit_code: 0 }),
  });
});

test("has exactly the manifest of docs/design.md's transcript", () => {
  expect(plugin.manifest).toMatchObject({
    name: 'hello-world',
    version: '1.0.0',
    description: 'A simple hello world plugin',
    author: { name: 'Your Name' },
    api_version: '1.0.0',
    permissions: ['task_read'],
    hooks: [{ name: 'post_task_execute', priority: 0 }],
  });
  expect(plugin.manifest.commands.map((command) => command.name)).toEqual(['hello', 'greet']);
});
