// One HookResult rule (plugin-api's isHookResult) for every path: a sandboxed plugin's result is
// held to it on a single call (the host's toHookResult) and in a batched dispatch (the worker's
// chain rules), as an in-process handler's is on the hook bus. A result whose message is not a
// string or whose continue_chain is not a boolean used to pass here while the bus refused it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxHost, type SandboxedPlugin } from '@marathon/security';
import { loadPlugin, tempHome } from './sandbox-helpers';

let host: SandboxHost;
let home: { home: string; cleanup(): void };
let sloppy: SandboxedPlugin;
let after: SandboxedPlugin;

function writePlugin(name: string, handler: string): string {
  const dir = join(home.home, 'plugins', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({ name, version: '1.0.0', api_version: '1.0.0', permissions: ['task_read'], hooks: ['pre_task_submit'] }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({ hooks: { pre_task_submit: ${handler} } });\n`,
  );
  return dir;
}

// The task's command picks what the sloppy plugin returns.
const RETURNS: Record<string, string> = {
  ok: '{ success: true, message: "fine" }',
  number: '{ success: true, message: 42 }',
  word: '{ success: true, continue_chain: "no" }',
};

beforeAll(async () => {
  home = tempHome();
  host = new SandboxHost();
  const table = `{ ${Object.entries(RETURNS)
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ')} }`;
  sloppy = await loadPlugin(host, writePlugin('sloppy', `(ctx, event) => (${table})[event.task.command]`), home.home);
  after = await loadPlugin(host, writePlugin('after', `() => ({ success: true, message: 'after ran' })`), home.home);
});

afterAll(async () => {
  await host.close();
  home.cleanup();
});

const event = (command: string) => ({
  task: { id: 't-1', name: 'n', command, args: [], submitted_by: 'ada', submitted_at: '2026-11-29T00:00:00Z' },
});

it.each([
  ['number', 'an object whose message is not a string'],
  ['word', 'an object whose continue_chain is not a boolean'],
])('refuses a result with a %s field on one call and in a dispatch', async (command, what) => {
  const message = `plugin 'sloppy' returned ${what} instead of a HookResult`;
  const single = await sloppy.callHook('pre_task_submit', event(command));
  expect(single.result).toEqual({ success: false, message, continue_chain: true });
  expect(single.error).toMatchObject({ code: 'BAD_RESULT' });
  // Batched in the worker: the veto ends the chain there too, so 'after' never runs.
  const dispatched = await host.dispatchHook('pre_task_submit', event(command), [sloppy, after]);
  expect(dispatched.map((outcome) => [outcome.plugin, outcome.result.success, outcome.result.message])).toEqual([
    ['sloppy', false, message],
  ]);
});

it('passes a well-formed result on to the next plugin', async () => {
  const dispatched = await host.dispatchHook('pre_task_submit', event('ok'), [sloppy, after]);
  expect(dispatched.map((outcome) => [outcome.plugin, outcome.result.success, outcome.result.message])).toEqual([
    ['sloppy', true, 'fine'],
    ['after', true, 'after ran'],
  ]);
});
