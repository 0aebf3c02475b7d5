import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  discover,
  lockTimeoutFromEnv,
  marathonHome,
  RegistryError,
  searchPaths,
  StateStore,
  writeFileAtomic,
  type InstalledState,
} from '@marathon/registry';
import { stateRecord } from './state-record';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-registry-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function plugin(parent: string, folder: string, name = folder, version = '1.0.0'): void {
  mkdirSync(join(parent, folder), { recursive: true });
  writeFileSync(join(parent, folder, 'plugin.json'), JSON.stringify({ name, version, api_version: '1.0.0' }));
}

/** A transaction on `store` that holds the lock until released: `taken` resolves once it holds it. */
function holdLock(
  store: StateStore,
  change: (state: InstalledState) => void = () => undefined,
): { taken: Promise<void>; release: () => void; held: Promise<unknown> } {
  let taken!: () => void;
  let release!: () => void;
  const lockTaken = new Promise<void>((resolve) => (taken = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const held = store.transaction(async (state) => {
    change(state);
    taken();
    await released;
  });
  return { taken: lockTaken, release, held };
}

describe('search paths', () => {
  it('are the built-ins, the home, MARATHON_PLUGIN_PATH and configured folders, then the project only when opted in', () => {
    const home = marathonHome(join(root, 'home'));
    const paths = searchPaths({
      home,
      builtIn: [join(root, 'examples')],
      cwd: join(root, 'project'),
      env: { MARATHON_PLUGIN_PATH: `${join(root, 'a')}:${join(root, 'b')}`, MARATHON_PROJECT_PLUGINS: '1' },
      configured: [join(root, 'c')],
    });
    expect(paths).toEqual([
      { path: join(root, 'examples'), kind: 'builtin' },
      { path: join(root, 'home', 'plugins'), kind: 'home' },
      { path: join(root, 'a'), kind: 'env' },
      { path: join(root, 'b'), kind: 'env' },
      { path: join(root, 'c'), kind: 'config' },
      { path: join(root, 'project', '.marathon', 'plugins'), kind: 'project' },
    ]);
  });

  it('take MARATHON_HOME from the environment, defaulting to ~/.marathon', () => {
    expect(marathonHome(undefined, { MARATHON_HOME: join(root, 'h') }).root).toBe(join(root, 'h'));
    expect(marathonHome(undefined, {}).root.endsWith('.marathon')).toBe(true);
    expect(marathonHome(join(root, 'x')).dataDir('@acme/tool')).toBe(join(root, 'x', 'data', '@acme', 'tool'));
  });
});

describe('discovery', () => {
  it('finds plugins, reports broken folders beside them, and lets the higher-precedence path win a name', async () => {
    const first = join(root, 'first');
    const second = join(root, 'second');
    plugin(first, 'alpha');
    plugin(first, 'shared', 'shared', '1.0.0');
    plugin(second, 'shared-copy', 'shared', '2.0.0');
    plugin(second, 'beta');
    mkdirSync(join(second, 'not-a-plugin'));
    mkdirSync(join(second, 'broken'));
    writeFileSync(join(second, 'broken', 'plugin.json'), '{"name": "Broken"}');
    const result = await discover([
      { path: first, kind: 'builtin' },
      { path: second, kind: 'env' },
      { path: join(root, 'missing'), kind: 'config' },
    ]);
    expect(result.plugins.map((p) => `${p.name}@${p.version}:${p.searchPath.kind}`)).toEqual([
      'alpha@1.0.0:builtin',
      'shared@1.0.0:builtin',
      'beta@1.0.0:env',
    ]);
    expect(result.conflicts).toEqual([{ name: 'shared', winner: join(first, 'shared'), shadowed: [join(second, 'shared-copy')] }]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.dir).toBe(join(second, 'broken'));
    expect(result.errors[0]!.message).toContain("'Broken' is not a valid package name");
  });
});

describe('state store', () => {
  it('starts empty, commits changes atomically, and skips writing when nothing changed', async () => {
    const home = marathonHome(join(root, 'home'));
    const store = new StateStore(home);
    expect(await store.read()).toEqual({ version: 1, plugins: {} });
    await store.transaction(async () => undefined);
    expect(() => readFileSync(home.stateFile)).toThrow();
    await store.transaction(async (state) => {
      state.plugins.x = stateRecord('x');
    });
    expect((await store.read()).plugins.x).toEqual(stateRecord('x'));
  });

  it('refuses a state file that is not one, saying what to do', async () => {
    const home = marathonHome(join(root, 'home'));
    mkdirSync(home.root, { recursive: true });
    writeFileSync(home.stateFile, '{ nope');
    await expect(new StateStore(home).read()).rejects.toMatchObject({
      code: 'STATE_CORRUPT',
      message: expect.stringContaining('restore it or remove it'),
    });
    writeFileSync(home.stateFile, '{"version": 7}');
    await expect(new StateStore(home).read()).rejects.toBeInstanceOf(RegistryError);
  });

  it('makes a second writer wait for the lock, and says so after a second', async () => {
    const home = marathonHome(join(root, 'home'));
    const said: Array<{ message: string; after: number }> = [];
    let toldWaiting!: () => void;
    const told = new Promise<void>((resolve) => (toldWaiting = resolve));
    // The waiter's clock moves by what it sleeps, so its second of waiting passes in a few polls.
    let now = 0;
    const lockClock = {
      now: () => now,
      sleep: (ms: number) => ((now += ms), new Promise<void>((resolve) => setImmediate(resolve))),
    };
    const holder = new StateStore(home);
    const waiter = new StateStore(home, {
      lockClock,
      onWait: (message) => {
        said.push({ message, after: now });
        toldWaiting();
      },
    });
    const { taken, release, held } = holdLock(holder, (state) => {
      state.plugins.first = stateRecord('first');
    });
    await taken;
    const waiting = waiter.transaction(async (state) => {
      state.plugins.second = stateRecord('second');
    });
    await told;
    release();
    await Promise.all([held, waiting]);
    expect(said).toEqual([{ message: `waiting for another marathon process to finish with ${home.root}…`, after: expect.any(Number) }]);
    expect(said[0]!.after).toBeGreaterThanOrEqual(1000);
    expect(Object.keys((await waiter.read()).plugins).sort()).toEqual(['first', 'second']);
  });

  it('gives up with LOCK_TIMEOUT after lockTimeoutMs, which MARATHON_LOCK_TIMEOUT_MS sets', async () => {
    expect(lockTimeoutFromEnv({})).toBeUndefined();
    expect(lockTimeoutFromEnv({ MARATHON_LOCK_TIMEOUT_MS: '250' })).toBe(250);
    expect(() => lockTimeoutFromEnv({ MARATHON_LOCK_TIMEOUT_MS: '2s' })).toThrow(
      expect.objectContaining({
        code: 'SETTING_INVALID',
        message: "MARATHON_LOCK_TIMEOUT_MS must be a whole number of milliseconds, not '2s'",
      }),
    );
    const home = marathonHome(join(root, 'home'));
    const { taken, release, held } = holdLock(new StateStore(home));
    await taken;
    const refused = new StateStore(home, { lockTimeoutMs: lockTimeoutFromEnv({ MARATHON_LOCK_TIMEOUT_MS: '200' }) }).transaction(
      async (state) => {
        state.plugins.lost = stateRecord('lost');
      },
    );
    await expect(refused).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
      message: expect.stringMatching(/^another marathon process has held .+; try again later$/),
    });
    release();
    await held;
    expect((await new StateStore(home).read()).plugins).toEqual({});
  });

  it('refuses to commit when a stall let another process take the lock over, so that its commit is not lost', async () => {
    const home = marathonHome(join(root, 'home'));
    const store = new StateStore(home);
    const stalled = store.transaction(async (state) => {
      state.plugins.stalled = stateRecord('stalled');
      // What another process does once this one's lock has gone stale: take it over, then commit.
      writeFileSync(`${home.stateFile}.lock-owner`, 'another-process');
      await writeFileAtomic(home.stateFile, JSON.stringify({ version: 1, plugins: { other: stateRecord('other') } }));
    });
    await expect(stalled).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
      message: expect.stringContaining('another marathon process took over'),
    });
    expect(Object.keys((await store.read()).plugins)).toEqual(['other']);
    // The lock was released all the same, and the next transaction commits.
    await store.transaction(async (state) => {
      state.plugins.next = stateRecord('next');
    });
    expect(Object.keys((await store.read()).plugins).sort()).toEqual(['next', 'other']);
  });

  it('recovers a lock left by a process that died', async () => {
    const home = marathonHome(join(root, 'home'));
    mkdirSync(`${home.stateFile}.lock`, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${home.stateFile}.lock`, old, old);
    await new StateStore(home, { lockTimeoutMs: 5000 }).transaction(async (state) => {
      state.plugins.after = stateRecord('after');
    });
    expect(Object.keys((await new StateStore(home).read()).plugins)).toEqual(['after']);
  });
});

it('writes files atomically, leaving no temporary file behind', async () => {
  const file = join(root, 'deep', 'file.json');
  await writeFileAtomic(file, 'one');
  await writeFileAtomic(file, 'two');
  expect(readFileSync(file, 'utf8')).toBe('two');
  expect(require('node:fs').readdirSync(join(root, 'deep'))).toEqual(['file.json']);
});
