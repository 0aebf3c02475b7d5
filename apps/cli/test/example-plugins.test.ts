// The shipped example plugins through the real binary: dependency order, a veto, a rewrite the
// host enforces (timeout), and the audit log recording what ran.
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

test('every example is on the built-in search path', async () => {
  const names = JSON.parse((await ws.ok(['plugin', 'refresh', '--json'])).stdout).plugins.map((plugin: { name: string }) => plugin.name);
  expect(names).toEqual(expect.arrayContaining(['hello-world', 'task-audit-log', 'task-policy', 'webhook-notifier', 'git-info']));
});

test('task-policy and task-audit-log: dependency first, veto, enforced timeout, recorded results', async () => {
  await ws.prepare(['plugin', 'install', 'task-audit-log', '--yes']);
  await ws.prepare(['plugin', 'install', 'task-policy', '--yes']);
  expect((await ws.ok(['plugin', 'enable', 'task-policy'])).stdout).toBe(
    "✅ Plugin 'task-audit-log' enabled successfully (needed by 'task-policy')\n✅ Plugin 'task-policy' enabled successfully\n",
  );
  const blocked = await ws.run(['plugin', 'disable', 'task-audit-log']);
  expect(blocked.code).toBe(1);
  expect(blocked.stderr).toContain('task-policy');

  await ws.prepare(['task-policy', 'deny', '^forbidden-tool( |$)']);
  const vetoed = await ws.run(['task', 'run', '--', 'forbidden-tool', '--now']);
  expect(vetoed.code).toBe(1);
  expect(vetoed.stderr).toContain(
    "plugin 'task-policy' vetoed pre_task_submit: 'forbidden-tool --now' matches the deny rule /^forbidden-tool( |$)/",
  );

  await ws.prepare(['task-policy', 'timeout', '1']);
  const started = Date.now();
  const stopped = await ws.run(['task', 'run', '--name', 'sleepy', '--', process.execPath, '-e', 'setTimeout(() => {}, 30000)']);
  expect(stopped.code).toBe(124);
  expect(stopped.stderr).toContain("task 'sleepy' was stopped after its timeout of 1000 ms");
  expect(Date.now() - started).toBeLessThan(25_000);

  await ws.prepare(['task', 'run', '--name', 'quick', '--', process.execPath, '-e', '']);
  const tail = (await ws.ok(['task-audit-log', 'tail', '2'])).stdout.trim().split('\n');
  expect(tail[0]).toMatch(/sleepy \(.* -e setTimeout\(\(\) => \{\}, 30000\)\) by .*: exit 124 in \d+\.\d s$/);
  expect(tail[1]).toMatch(/quick .*: exit 0 in \d+\.\d s$/);
});

test('webhook-notifier asks for consent (network + env_vars), git-info runs git', async () => {
  const refused = await ws.run(['plugin', 'install', 'webhook-notifier']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('--yes');
  expect(refused.stderr).toMatch(/network.*env_vars|env_vars.*network/);
  await ws.ok(['plugin', 'install', 'webhook-notifier', '--yes', '--enable']);
  expect((await ws.ok(['webhook-notifier', 'test'])).stdout).toBe('✅ no webhook configured (set MARATHON_WEBHOOK_URL)\n');
  await ws.prepare(['plugin', 'install', 'git-info', '--yes', '--enable']);
  expect((await ws.ok(['git-info', 'version'])).stdout).toMatch(/^git version /);
});
