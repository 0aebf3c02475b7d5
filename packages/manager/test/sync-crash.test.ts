// A sync whose process dies mid-way is rolled back by the next process that opens the home: the
// state as it was, the removed plugin's copy and data back, the half-installed one gone. "Dies" is
// a real SIGKILL of a process holding the state lock (its heartbeat stops), not a pid that
// happens to be free: the next process takes the lock over once it is stale, then rolls back.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginManager, type Lockfile } from '@marathon/manager';
import { ownStagingPrefix, stagingOwner } from '@marathon/registry';
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

/** A `sync` in another process that stops once its first `after` is committed (fixtures/sync-hangs.cjs), holding the lock. */
async function hungSync(lock: Lockfile, after: 'install' | 'uninstall'): Promise<{ kill(): Promise<void> }> {
  const file = join(sandbox.root, 'target.lock.json');
  writeFileSync(file, JSON.stringify(lock));
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'sync-hangs.cjs'), sandbox.home, sandbox.plugins, file, after], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('hanging')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void closed.then(() => reject(new Error(`the sync exited before it hung: ${output}`)));
  });
  return {
    kill: async () => {
      child.kill('SIGKILL');
      await closed;
    },
  };
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
  const target = await PluginManager.open({
    home: other.home,
    builtInPlugins: [sandbox.plugins],
    cwd: other.root,
    env: { PATH: process.env.PATH },
  });
  await target.install('keeper', { yes: true });
  await target.enable('keeper');
  await target.install('joiner', { yes: true });
  await target.enable('joiner');
  const lock: Lockfile = await target.exportLock();
  await target.close();
  other.cleanup();

  // The process dies once joiner is installed: SIGKILL, holding the lock.
  await first.close();
  const syncing = await hungSync(lock, 'install');
  await syncing.kill();
  const midway = JSON.parse(readFileSync(join(sandbox.home, 'state.json'), 'utf8')) as { plugins: Record<string, unknown> };
  expect(Object.keys(midway.plugins).sort()).toEqual(['joiner', 'keeper']); // leaver was removed, joiner added
  expect(existsSync(leaverData)).toBe(false);
  const staging = join(sandbox.home, 'staging');
  // Its pid taken by a live process (this one): irrelevant, the lock says it is dead.
  const trash = readdirSync(staging).find((name) => stagingOwner(name)?.purpose === 'sync')!;
  renameSync(join(staging, trash), join(staging, trash.replace(/^stage-[\d.]+-/, ownStagingPrefix())));

  const next = await open(sandbox);
  expect(readFileSync(join(sandbox.home, 'state.json'), 'utf8')).toBe(stateBefore);
  expect(readdirSync(join(sandbox.home, 'installed')).sort()).toEqual(installedBefore);
  expect(readFileSync(join(leaverData, 'notes.txt'), 'utf8')).toBe('kept across the rollback');
  expect(readdirSync(staging)).toEqual([]);
  // Both load (each load checks its files against the recorded digests) and answer.
  expect(
    (
      await next.dispatch('post_task_execute', {
        task: { id: 't', name: 'n', command: 'c', args: [], submitted_by: 'u', submitted_at: 's' },
      })
    ).results
      .map((r) => r.plugin)
      .sort(),
  ).toEqual(['keeper', 'leaver']);
  await next.close();

  // And the sync, run again, completes.
  const again = await open(sandbox);
  expect((await again.sync(lock)).map((step) => `${step.action} ${step.name}`).sort()).toEqual([
    'enable joiner',
    'install joiner',
    'remove leaver',
  ]);
  expect((await again.list()).map((record) => `${record.name} ${record.status}`)).toEqual(['joiner enabled', 'keeper enabled']);
  await again.close();
});

it('leaves alone the sync of a process that still holds the lock: the next one reads without waiting, and a change waits or says it is busy', async () => {
  const manager = await open(sandbox);
  await manager.install('keeper', { yes: true });
  await manager.enable('keeper');
  await manager.close();
  const lock: Lockfile = { lockfileVersion: 1, plugins: {} };
  const syncing = await hungSync(lock, 'uninstall');
  const staging = join(sandbox.home, 'staging');
  const journal = readdirSync(staging).find((name) => stagingOwner(name)?.purpose === 'sync')!;
  // Opening and reading take no lock (issue 16): they see what the sync has committed so far.
  const reader = await open(sandbox, { lockTimeoutMs: 1000 });
  expect(await reader.list()).toEqual([]);
  await expect(reader.install('keeper', { yes: true })).rejects.toMatchObject({
    code: 'LOCK_TIMEOUT',
    message: expect.stringContaining('try again later'),
  });
  await reader.close();
  expect(existsSync(join(staging, journal))).toBe(true);
  await syncing.kill();
  const after = await open(sandbox);
  expect((await after.list()).map((record) => `${record.name} ${record.status}`)).toEqual(['keeper enabled']);
  expect(readdirSync(staging)).toEqual([]);
  await after.close();
});
