// The shipped example plugins through the real binary: dependency order, a veto, a rewrite the
// host enforces (timeout), both set as the operator's settings, and the audit log recording what ran.
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

  // The policy is the operator's settings now: the rules replace the defaults, through the real binary.
  const rules = await ws.ok(['plugin', 'config', 'task-policy', 'rules', JSON.stringify(['^forbidden-tool( |$)', '^rm -rf /( |$)'])]);
  expect(rules.stdout).toBe('✅ task-policy: rules = ["^forbidden-tool( |$)","^rm -rf /( |$)"]\n');
  const broken = await ws.run(['plugin', 'config', 'task-policy', 'rules', '["(unclosed"]']);
  expect(broken.code).toBe(1);
  expect(broken.stderr).toContain("plugin 'task-policy' vetoed config_validate: /(unclosed/ is not a valid regular expression");
  const vetoed = await ws.run(['task', 'run', '--', 'forbidden-tool', '--now']);
  expect(vetoed.code).toBe(1);
  expect(vetoed.stderr).toContain(
    "plugin 'task-policy' vetoed pre_task_submit: 'forbidden-tool --now' matches the deny rule /^forbidden-tool( |$)/",
  );

  expect((await ws.ok(['plugin', 'config', 'task-policy', 'timeout_s', '1'])).stdout).toBe('✅ task-policy: timeout_s = 1\n');
  expect((await ws.ok(['task-policy', 'rules'])).stdout).toBe('deny /^forbidden-tool( |$)/\ndeny /^rm -rf /( |$)/\ndefault timeout: 1 s\n');
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
  expect((await ws.ok(['webhook-notifier', 'test'])).stdout).toBe(
    '✅ no webhook configured (marathon plugin config webhook-notifier url <url>)\n',
  );
  const ftp = await ws.run(['plugin', 'config', 'webhook-notifier', 'url', 'ftp://hooks.example.com/x']);
  expect(ftp.code).toBe(1);
  expect(ftp.stderr).toContain("setting 'url' of plugin 'webhook-notifier'");
  await ws.ok(['plugin', 'config', 'webhook-notifier', 'token', '${HOOK_TOKEN}']);
  expect((await ws.ok(['plugin', 'config', 'webhook-notifier', 'token'])).stdout).toContain(
    'token = ${HOOK_TOKEN} (not set in the environment)',
  );
  await ws.prepare(['plugin', 'install', 'git-info', '--yes', '--enable']);
  expect((await ws.ok(['git-info', 'version'])).stdout).toMatch(/^git version /);
});
