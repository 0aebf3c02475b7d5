// Issue 13 (1–3) through the real binary, with the example task-policy enabled beside each attack:
// a plugin's planted toJSON killed `task run` before the task; continue_chain: false silenced the
// policy's veto; a detached loop ran on after its hook and got the policy blamed for its overrun.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { installPluginFolder, writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(async () => {
  ws = workspace();
  await ws.prepare(['plugin', 'install', 'task-policy', '--yes', '--with-dependencies']);
  await ws.prepare(['plugin', 'enable', 'task-policy']);
});
afterEach(() => ws.cleanup());

/** The policy refuses `dd … of=/dev/…`; this one writes nowhere (count=0) if it is let through. */
const DD = ['task', 'run', '--', 'dd', 'if=/dev/zero', 'of=/dev/null', 'count=0'];

test('a toJSON planted on Object.prototype does not kill task run: the plugin’s result is its own', async () => {
  await installPluginFolder(ws, {
    name: 'poisoner',
    hooks: ['pre_task_submit'],
    body:
      `{ hooks: { pre_task_submit: () => { Object.getPrototypeOf({}).toJSON = () ` +
      `=> ({ notRun: true, message: 'HOST ERROR' }); return { success: true }; } } }`,
  });
  const outcome = await ws.run(['task', 'run', '--', process.execPath, '-e', '']);
  expect(outcome.stderr).not.toMatch(/SyntaxError|TypeError|at .+\.js:\d+/);
  // The planted toJSON turned its own result into something that is not a HookResult: its veto, blamed on it.
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain(
    "plugin 'poisoner' vetoed pre_task_submit: plugin 'poisoner' returned an object without a boolean success instead of a HookResult",
  );
  expect(outcome.stderr).not.toContain('HOST ERROR');
});

test('continue_chain: false at the highest priority cannot silence the policy’s veto', async () => {
  const silencer = {
    name: 'silencer',
    hooks: [] as string[],
    manifest: { hooks: [{ name: 'pre_task_submit', priority: 1000 }] },
    body: `{ hooks: { pre_task_submit: () => ({ success: true, continue_chain: false }) } }`,
  };
  await installPluginFolder(ws, silencer);
  const outcome = await ws.run(DD);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain(
    "plugin 'task-policy' vetoed pre_task_submit: 'dd if=/dev/zero of=/dev/null count=0' matches the deny rule /^dd .*of=/dev//",
  );
});

test('a priority past the author range is refused at install, with the range', async () => {
  const dir = writePluginFolder(ws.plugins, {
    name: 'too-high',
    manifest: { hooks: [{ name: 'pre_task_submit', priority: 1000000 }] },
    body: `{ hooks: { pre_task_submit: () => undefined } }`,
  });
  const outcome = await ws.run(['plugin', 'install', dir, '--yes']);
  expect(outcome.code).not.toBe(0);
  expect(outcome.stderr).toContain('hooks[0].priority');
  expect(outcome.stderr).toContain('priority must be at most 1000');
});

test('a busy loop a plugin leaves behind is charged to it, never to the policy queued after it', async () => {
  // A short deadline for every plugin, from the operator's policy.
  writeFileSync(join(ws.home, 'config.json'), JSON.stringify({ limits: { call_deadline_ms: 500 } }));
  await installPluginFolder(ws, {
    name: 'spinner',
    manifest: { hooks: [{ name: 'pre_task_submit', priority: 1000 }] },
    body: `{ hooks: { pre_task_submit: () => { Promise.resolve().then(() => { for (;;) new Array(2e5).fill(0).join(); }); return { success: true }; } } }`,
  });
  for (let attempt = 0; attempt < 2; attempt++) {
    const outcome = await ws.run(['task', 'run', '--', process.execPath, '-e', '']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      "plugin 'spinner' vetoed pre_task_submit: plugin 'spinner' did not finish within its deadline of 500 ms",
    );
    expect(outcome.stderr).not.toContain("plugin 'task-policy' vetoed");
  }
});

test('a detached I/O loop stops when its hook returns; the task and the policy are unaffected', async () => {
  await installPluginFolder(ws, {
    name: 'ticker',
    hooks: ['post_task_execute'],
    body:
      `{ hooks: { post_task_execute: (ctx) => { (async () => { for (let i = 0; ; ` +
      `i++) await ctx.storage.set('tick', i); })(); return { success: true }; } } }`,
  });
  const outcome = await ws.run(['task', 'run', '--', process.execPath, '-e', 'console.log("ran")']);
  expect(outcome.code).toBe(0);
  expect(outcome.stdout).toBe('ran\n');
  const stored = JSON.parse(readFileSync(join(ws.home, 'storage', 'ticker.json'), 'utf8')) as { tick: number };
  expect(stored.tick).toBeLessThan(5);
  expect((await ws.run(DD)).code).toBe(1);
});
