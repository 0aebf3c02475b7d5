// A sync whose process dies mid-way is rolled back by the next process that opens the home: the
// state as it was, the removed plugin's copy and data back, the half-installed one gone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginManager, type Lockfile } from '@marathon/manager';
import { open, tempRoot, writePlugin, type Sandbox } from './helpers';

let sandbox: Sandbox;

beforeEach(() => {
  sandbox = tempRoot();
  writePlugin(sandbox.plugins, { name: 'keeper', permissions: ['task_read'], hooks: ['post_task_execute'] });
  writePlugin(sandbox.plugins, { name: 'leaver', permissions: ['task_read'], hooks: ['post_task_execute'] });
  writePlugin(sandbox.plugins, { name: 'joiner', permissions: ['task_read'], hooks: ['post_task_execute'] });
});
afterEach(() => {
  jest.restoreAllMocks();
  sandbox.cleanup();
});

/** A pid no process has: one that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

it('rolls back a sync whose process died after removing one plugin and while installing another', async () => {
  const first = await open(sandbox);
  await first.install('keeper', { yes: true });
  await first.enable('keeper');
  await first.install('leaver', { yes: true });
  await first.enable('leaver');
  const leaverData = join(sandbox.home, 'data', 'leaver');
  writeFileSync(join(leaverData, 'notes.txt'), 'kept across the rollback');
  const stateBefore = readFileSync(join(sandbox.home, 'state.json'), 'utf8');
  const installedBefore = readdirSync(join(sandbox.home, 'installed')).sort();

  // The target: keeper and joiner. Built from a home that has them (the lock's own format).
  const other = tempRoot();
  const target = await PluginManager.open({ home: other.home, builtInPlugins: [sandbox.plugins], cwd: other.root, env: { PATH: process.env.PATH } });
  await target.install('keeper', { yes: true });
  await target.enable('keeper');
  await target.install('joiner', { yes: true });
  await target.enable('joiner');
  const lock: Lockfile = await target.exportLock();
  await target.close();
  other.cleanup();

  // The process "dies" once joiner is installed: its sync never returns, and its pid is gone.
  const install = PluginManager.prototype.install;
  let reached!: () => void;
  const died = new Promise<void>((resolve) => (reached = resolve));
  jest.spyOn(PluginManager.prototype, 'install').mockImplementation(async function (this: PluginManager, ...args) {
    const result = await install.apply(this, args);
    reached();
    return new Promise<never>(() => undefined) as unknown as typeof result;
  });
  void first.sync(lock);
  await died;
  jest.restoreAllMocks();
  const midway = JSON.parse(readFileSync(join(sandbox.home, 'state.json'), 'utf8')) as { plugins: Record<string, unknown> };
  expect(Object.keys(midway.plugins).sort()).toEqual(['joiner', 'keeper']); // leaver was removed, joiner added
  expect(existsSync(leaverData)).toBe(false);
  const staging = join(sandbox.home, 'staging');
  const trash = readdirSync(staging).find((name) => name.startsWith(`stage-${process.pid}-sync-`))!;
  renameSync(join(staging, trash), join(staging, trash.replace(`stage-${process.pid}-`, `stage-${deadPid()}-`)));

  const next = await open(sandbox);
  expect(readFileSync(join(sandbox.home, 'state.json'), 'utf8')).toBe(stateBefore);
  expect(readdirSync(join(sandbox.home, 'installed')).sort()).toEqual(installedBefore);
  expect(readFileSync(join(leaverData, 'notes.txt'), 'utf8')).toBe('kept across the rollback');
  expect(readdirSync(staging)).toEqual([]);
  // Both load (each load checks its files against the recorded digests) and answer.
  expect((await next.dispatch('post_task_execute', { task: { id: 't', name: 'n', command: 'c', args: [], submitted_by: 'u', submitted_at: 's' } })).results.map((r) => r.plugin).sort()).toEqual(['keeper', 'leaver']);
  await next.close();
  await first.close().catch(() => undefined);

  // And the sync, run again, completes.
  const again = await open(sandbox);
  expect((await again.sync(lock)).map((step) => `${step.action} ${step.name}`).sort()).toEqual(['enable joiner', 'install joiner', 'remove leaver']);
  expect((await again.list()).map((record) => `${record.name} ${record.status}`)).toEqual(['joiner enabled', 'keeper enabled']);
  await again.close();
});

it('leaves alone the sync of a process that is still running', async () => {
  const manager = await open(sandbox);
  await manager.install('keeper', { yes: true });
  const staging = join(sandbox.home, 'staging');
  const live = join(staging, `stage-${process.pid}-sync-abcd1234`);
  mkdirSync(live, { recursive: true });
  writeFileSync(join(live, 'sync.json'), JSON.stringify({ version: 1, pid: process.pid, plugins: {} }));
  const second = await open(sandbox);
  expect(existsSync(live)).toBe(true);
  expect((await second.list()).map((record) => record.name)).toEqual(['keeper']);
  await second.close();
  await manager.close();
});
