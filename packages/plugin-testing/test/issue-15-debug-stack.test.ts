// Issue 15, item 12: a plugin author's failing test shows where in the plugin's code the command
// threw. The harness's PluginTestError keeps the plugin's frames (pluginStack) and puts them at the
// top of its stack, which jest and node --test print, above the test's own frames.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlugin, PluginTestError, type TestPlugin } from '@marathon/plugin-testing';

const folder = join(__dirname, 'fixtures', 'kit-demo');
const throwLine =
  readFileSync(join(folder, 'index.js'), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes("throw new Error('this command always fails')")) + 1;

let plugin: TestPlugin | undefined;
afterEach(async () => {
  await plugin?.close();
  plugin = undefined;
});

test("a failing command's error shows the plugin's frame first, then the test's", async () => {
  plugin = await loadPlugin(folder);
  const error = await plugin.command('fail').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginTestError);
  const failure = error as PluginTestError;
  expect(failure.message).toBe("kit-demo fail: plugin 'kit-demo' failed: this command always fails");
  expect(failure.pluginStack).toMatch(new RegExp(`^at fail \\(index\\.js:${throwLine}:\\d+\\)$`));
  const lines = failure.stack!.split('\n');
  expect(lines[0]).toBe(`PluginTestError: ${failure.message}`);
  expect(lines[1]).toBe(`    ${failure.pluginStack}`);
  expect(lines.slice(2).some((line) => line.includes('issue-15-debug-stack.test.ts'))).toBe(true);
});

test('an error made without a plugin stack keeps the stack it had', () => {
  const error = new PluginTestError('INSTALL_REFUSED', 'refused', ['one']);
  expect(error.pluginStack).toBeUndefined();
  expect(error.stack!.split('\n').slice(0, 3)).toEqual(['PluginTestError: refused', '  one', expect.stringMatching(/^ {4}at /)]);
});
