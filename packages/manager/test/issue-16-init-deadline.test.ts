// init runs under the manager's init timeout, not the call deadline hooks and commands run under
// (issue 16: the 10 s init timeout was really the 5 s call deadline). Scaled down: a 200 ms call
// deadline from the policy, and init timeouts of a few hundred ms to a few seconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginManager } from '@marathon/manager';
import { managerError, open, tempRoot, writePlugin, type Sandbox } from './helpers';

let sandbox: Sandbox;
let manager: PluginManager | undefined;

beforeEach(() => {
  sandbox = tempRoot();
  mkdirSync(sandbox.home, { recursive: true });
  writeFileSync(join(sandbox.home, 'config.json'), JSON.stringify({ limits: { call_deadline_ms: 200 } }));
  writePlugin(sandbox.plugins, {
    name: 'slow-start',
    commands: ['x'],
    body: "{ async init() { await new Promise((resolve) => setTimeout(resolve, 600)); }, commands: { x: () => 'ready' } }",
  });
});
afterEach(async () => {
  await manager?.close();
  sandbox.cleanup();
});

it('lets init take longer than the call deadline, up to the init timeout', async () => {
  manager = await open(sandbox, { initTimeoutMs: 5000 });
  await manager.install('slow-start');
  await manager.enable('slow-start');
  expect(await manager.run('slow-start', 'x')).toBe('ready');
});

it('fails init at the init timeout, naming it', async () => {
  manager = await open(sandbox, { initTimeoutMs: 300 });
  await manager.install('slow-start');
  await manager.enable('slow-start');
  const error = await managerError(() => manager!.run('slow-start', 'x'));
  expect(error.code).toBe('INIT_FAILED');
  expect(error.message).toContain('300 ms');
});

it('keeps the call deadline for commands', async () => {
  writePlugin(sandbox.plugins, {
    name: 'slow-command',
    commands: ['x'],
    body: '{ commands: { x: () => new Promise((resolve) => setTimeout(() => resolve("late"), 600)) } }',
  });
  manager = await open(sandbox, { initTimeoutMs: 5000 });
  await manager.install('slow-command');
  await manager.enable('slow-command');
  const error = await managerError(() => manager!.run('slow-command', 'x'));
  expect(error.message).toContain('200 ms');
});
