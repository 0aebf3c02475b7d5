// Issue 14, part 4: a sync held no lock across its steps and its rollback wrote back the whole
// state it had started from — another process's install was erased, an operator's `plugin disable`
// during a failing sync was undone, a dead sync was rolled back after a newer one had committed —
// and "dead" meant "its pid is free". Now a sync holds the lock throughout, its rollback undoes
// only what it changed (checked against the current state), and a journal is dead when the lock
// it was made under is no longer held, whatever its pid.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ManagerError, PluginManager, type Lockfile } from '@marathon/manager';
import { marathonHome, stagingOwner, StateStore, type InstalledPlugin, type StateLease } from '@marathon/registry';
import { SyncJournal, undoSync } from '../src/sync-journal';
import { managerError, open, tempRoot, writePlugin, type Sandbox } from './helpers';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = tempRoot();
  for (const name of ['alpha', 'beta', 'gamma'])
    writePlugin(sandbox.plugins, { name, permissions: ['task_read'], hooks: ['post_task_execute'] });
});
afterEach(() => {
  jest.restoreAllMocks();
  sandbox.cleanup();
});

const statusesOf = async (manager: PluginManager) => (await manager.list()).map((record) => `${record.name} ${record.status}`);
const stateFile = () => join(sandbox.home, 'state.json');

/** A lockfile from a throwaway home set up by `build`. */
async function lockOf(build: (manager: PluginManager) => Promise<void>): Promise<Lockfile> {
  const other = tempRoot();
  const manager = await PluginManager.open({
    home: other.home,
    builtInPlugins: [sandbox.plugins],
    cwd: other.root,
    env: { PATH: process.env.PATH },
  });
  try {
    await build(manager);
    return await manager.exportLock();
  } finally {
    await manager.close();
    other.cleanup();
  }
}

describe('the rollback decides plugin by plugin, from the current state', () => {
  it('puts back what the sync changed and leaves alone, and names, what someone else changed since', async () => {
    const manager = await open(sandbox);
    for (const name of ['alpha', 'beta']) {
      await manager.install(name, { yes: true });
      await manager.enable(name);
    }
    const store = manager.store;
    const lease: StateLease = { token: 'the-sync', stillOurs: async () => true };
    const journal = await SyncJournal.begin(manager.home, lease);
    // The sync disables alpha and beta, and removes beta (journalled before each commit).
    await store.exclusive(async (held) => {
      held.beforeCommit = (previous, next, operator) => journal.recordCommit(previous, next, operator);
      await store.transaction(async (state) => {
        state.plugins.alpha!.status = 'disabled';
        state.plugins.beta!.status = 'disabled';
      });
      await store.transaction(async (state) => {
        delete state.plugins.beta;
      });
    });
    // Then, after it lost the lock, an operator re-enabled alpha by hand — their change, not the sync's.
    await store.transaction(async (state) => {
      state.plugins.alpha!.status = 'enabled';
      state.plugins.alpha!.priorities = { post_task_execute: 7 };
    });
    const report = await undoSync(manager.home, store, journal.dir);
    expect(report).toEqual({ restored: ['beta'], leftAlone: ['alpha'] });
    const plugins = (await store.read()).plugins;
    expect(plugins.alpha).toMatchObject({ status: 'enabled', priorities: { post_task_execute: 7 } });
    expect(plugins.beta).toMatchObject({ status: 'enabled' });
    expect(existsSync(journal.dir)).toBe(false);
    await manager.close();
  });

  it('a sync that lost its lock to a stall does not erase what the process that took over committed', async () => {
    const manager = await open(sandbox);
    await manager.install('alpha', { yes: true });
    await manager.enable('alpha');
    await manager.install('beta', { yes: true });
    await manager.enable('beta');
    // Target: alpha as it is, beta disabled, gamma installed.
    const lock = await lockOf(async (other) => {
      await other.install('alpha', { yes: true });
      await other.enable('alpha');
      await other.install('beta', { yes: true });
      await other.install('gamma', { yes: true });
    });
    // The sync disables beta; then, just before it installs gamma, it stalls for 3.5 s without a
    // heartbeat. Another process takes the stale lock over and gives beta a priority (an
    // operator's change), then releases it. The stalled sync must commit nothing more, and undo
    // only its own work: not beta, which is now the operator's.
    const other = `
      const { StateStore, marathonHome } = require('@marathon/registry');
      const store = new StateStore(marathonHome(process.argv[1]), { lockTimeoutMs: 20000 });
      setTimeout(() => store
        .transaction(async (state) => { state.plugins.beta.priorities = { post_task_execute: 5 }; })
        .then(() => process.stdout.write('committed')), 300);`;
    const install = PluginManager.prototype.install;
    let operator: Promise<string> | undefined;
    jest.spyOn(PluginManager.prototype, 'install').mockImplementation(async function (this: PluginManager, ...args) {
      if (operator === undefined) {
        const child = spawn(process.execPath, ['-e', other, sandbox.home], {
          cwd: join(__dirname, '..'),
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        operator = new Promise((resolve) => child.once('close', () => resolve(out)));
        // The stall: the thread blocked, so no timer and no heartbeat runs; Atomics.wait blocks it
        // without burning a core, as a busy loop did.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3500);
      }
      return install.apply(this, args);
    });
    const error = await managerError(() => manager.sync(lock));
    expect(await operator).toBe('committed');
    expect(error.code).toBe('SYNC_FAILED');
    expect(error.message).toContain('except what another process changed since');
    expect(error.details).toContain("'beta' was changed by another process after this sync changed it: left as it is now");
    jest.restoreAllMocks();
    await manager.close();
    const after = await open(sandbox);
    // alpha as it was, beta as the operator left it (not re-enabled by the rollback), gamma gone.
    expect(await statusesOf(after)).toEqual(['alpha enabled', 'beta disabled']);
    expect((await after.list())[1]!.priorities).toEqual({ post_task_execute: 5 });
    expect(readdirSync(join(sandbox.home, 'staging'))).toEqual([]);
    await after.close();
  });
});

describe('one lock for the whole sync', () => {
  it('another process that installs during a failing sync keeps its install', async () => {
    const manager = await open(sandbox);
    await manager.install('alpha', { yes: true });
    const lock = await lockOf(async (other) => {
      await other.install('alpha', { yes: true });
      await other.enable('alpha');
      await other.install('beta', { yes: true });
    });
    // The lockfile's beta is not what the search path holds now: its install fails the sync.
    writePlugin(sandbox.plugins, {
      name: 'beta',
      version: '1.0.0',
      permissions: ['task_read'],
      hooks: ['post_task_execute'],
      prelude: '// changed',
    });
    const waited: string[] = [];
    let other: Promise<unknown> | undefined;
    const install = PluginManager.prototype.install;
    jest.spyOn(PluginManager.prototype, 'install').mockImplementation(async function (this: PluginManager, ...args) {
      if (this !== manager) return install.apply(this, args);
      // While this sync runs, another process installs gamma: it has to wait for the sync's lock.
      other ??= (async () => {
        const second = await PluginManager.open({
          home: sandbox.home,
          builtInPlugins: [sandbox.plugins],
          cwd: sandbox.root,
          env: { PATH: process.env.PATH },
          onWait: (message) => void waited.push(message),
        });
        try {
          await second.install('gamma', { yes: true });
        } finally {
          await second.close();
        }
      })();
      // Held until the other process says it waits (its open no longer waits: issue 16; its install does).
      while (waited.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      return install.apply(this, args);
    });
    const error = await managerError(() => manager.sync(lock));
    expect(error).toMatchObject({ code: 'SYNC_FAILED', message: expect.stringContaining('this host was put back as it was') });
    await other;
    expect(waited.length).toBeGreaterThan(0);
    expect(new Set(waited)).toEqual(new Set([`waiting for another marathon process to finish with ${sandbox.home}…`]));
    expect(await statusesOf(manager)).toEqual(['alpha disabled', 'gamma disabled']);
    await manager.close();
  });
});

describe('a sync journal is dead when its lock is not held, whatever its pid', () => {
  it('rolls back a journal that names this (live) process when nobody holds its lock', async () => {
    const manager = await open(sandbox);
    await manager.install('alpha', { yes: true });
    await manager.enable('alpha');
    const before = readFileSync(stateFile(), 'utf8');
    const lease: StateLease = { token: `${process.pid}-gone`, stillOurs: async () => true };
    const journal = await SyncJournal.begin(manager.home, lease);
    expect(stagingOwner(basename(journal.dir))).toMatchObject({ pid: process.pid, purpose: 'sync' });
    await manager.store.exclusive(async (held) => {
      held.beforeCommit = (previous, next, operator) => journal.recordCommit(previous, next, operator);
      await manager.store.transaction(async (state) => {
        delete state.plugins.alpha;
      });
    });
    await manager.close();
    // The pid in the folder's name is alive (it is this test); the lock it was made under is not held.
    const next = await open(sandbox);
    expect(readFileSync(stateFile(), 'utf8')).toBe(before);
    expect(readdirSync(join(sandbox.home, 'staging'))).toEqual([]);
    await next.close();
  });
});

describe('journals are read as untrusted input', () => {
  it('a planted trash journal naming a path outside the home is refused; nothing is moved or deleted', async () => {
    const manager = await open(sandbox);
    await manager.close();
    const victim = join(sandbox.root, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'authorized_keys'), 'ssh-ed25519 AAAA operator');
    const planted = join(sandbox.home, 'staging', 'stage-999999-sync-evil');
    mkdirSync(join(planted, '0'), { recursive: true });
    writeFileSync(join(planted, '0', 'x'), 'attacker');
    writeFileSync(join(planted, 'sync.json'), JSON.stringify({ version: 2, lease: 'x', before: {}, wrote: {} }));
    writeFileSync(join(planted, 'trash.json'), JSON.stringify([{ from: join(victim, 'authorized_keys'), to: '0' }]));
    const error = await PluginManager.open({
      home: sandbox.home,
      builtInPlugins: [sandbox.plugins],
      cwd: sandbox.root,
      env: { PATH: process.env.PATH },
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'PATH_REFUSED', message: expect.stringContaining(join(planted, 'trash.json')) });
    expect(readFileSync(join(victim, 'authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA operator');
  });

  it('a planted sync record restoring a plugin whose folder leaves the home is refused', async () => {
    const manager = await open(sandbox);
    await manager.install('alpha', { yes: true });
    const record = (await manager.store.read()).plugins.alpha!;
    await manager.close();
    const planted = join(sandbox.home, 'staging', 'stage-999999-sync-evil');
    mkdirSync(planted, { recursive: true });
    const evil: InstalledPlugin = { ...record, folder: '../../victim' };
    writeFileSync(join(planted, 'sync.json'), JSON.stringify({ version: 2, lease: 'x', before: { alpha: evil }, wrote: { alpha: [] } }));
    await expect(open(sandbox)).rejects.toMatchObject({
      code: 'STATE_INVALID',
      message: expect.stringContaining('Marathon did not write it'),
    });
  });
});

describe('removal never goes through a link', () => {
  it('uninstall refuses a data scope folder replaced by a link after the home was opened', async () => {
    writePlugin(sandbox.plugins, { name: '@acme/tool', permissions: ['task_read'], hooks: ['post_task_execute'] }, 'acme-tool');
    const manager = await open(sandbox);
    await manager.install(join(sandbox.plugins, 'acme-tool'), { yes: true });
    const outside = join(sandbox.root, 'outside');
    mkdirSync(join(outside, 'tool'), { recursive: true });
    writeFileSync(join(outside, 'tool', 'precious.txt'), 'keep');
    const scope = join(sandbox.home, 'data', '@acme');
    require('node:fs').rmSync(scope, { recursive: true, force: true });
    require('node:fs').symlinkSync(outside, scope);
    const error = await manager.uninstall('@acme/tool').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'HOME_UNSAFE', message: expect.stringContaining(`${scope} is a symbolic link`) });
    expect(readFileSync(join(outside, 'tool', 'precious.txt'), 'utf8')).toBe('keep');
    await manager.close();
  });

  it('a state record whose folder leaves installed/ is refused before uninstall deletes anything', async () => {
    const manager = await open(sandbox);
    await manager.install('alpha', { yes: true });
    const victim = join(sandbox.root, 'victim');
    mkdirSync(victim);
    const state = JSON.parse(readFileSync(stateFile(), 'utf8'));
    state.plugins.alpha.folder = '../../victim';
    writeFileSync(stateFile(), JSON.stringify(state));
    const error = await manager.uninstall('alpha').catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(ManagerError);
    expect(error).toMatchObject({
      code: 'STATE_INVALID',
      message: expect.stringContaining("folder '../../victim' is not the installed copy of alpha"),
    });
    expect(existsSync(victim)).toBe(true);
    await manager.close();
  });
});

it('keeps the marathon home private: sync folders are 0700', async () => {
  const manager = await open(sandbox);
  const lease: StateLease = { token: 't', stillOurs: async () => true };
  const journal = await SyncJournal.begin(manager.home, lease);
  expect(require('node:fs').statSync(journal.dir).mode & 0o777).toBe(0o700);
  await manager.close();
  await new StateStore(marathonHome(sandbox.home)).read();
});
