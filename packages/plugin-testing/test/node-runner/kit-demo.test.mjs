// The same harness from node's own test runner (node --test), through the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadPlugin, taskEvent } from '@marathon/plugin-testing';

const folder = fileURLToPath(new URL('../fixtures/kit-demo', import.meta.url));

test('greets through the sandbox', async () => {
  const plugin = await loadPlugin(folder, { env: { GREETING: 'Hi' } });
  try {
    assert.equal(await plugin.command('greet', ['Bo']), 'Hi, Bo!');
    const result = await plugin.hook('pre_task_submit', taskEvent({ command: 'rm' }));
    assert.equal(result.success, false);
  } finally {
    await plugin.close();
  }
});
