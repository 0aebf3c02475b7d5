// Issue 14, part 4: a sync held no lock across its steps, so other processes committed between
// them. StateStore.exclusive holds the lock for as long as its work runs: the work's own
// transactions commit under it, everyone else waits or gives up with LOCK_TIMEOUT, and every
// commit is announced (beforeCommit) before it is written, so a journal never misses one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marathonHome, StateStore, type InstalledPlugin, type MarathonHome } from '@marathon/registry';
import { stateRecord } from './state-record';

let root: string;
let home: MarathonHome;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-lease-'));
  home = marathonHome(join(root, 'home'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("holds the lock across the work's transactions: another store waits until the work is done", async () => {
  const holder = new StateStore(home);
  const other = new StateStore(home);
  const order: string[] = [];
  const work = holder.exclusive(async () => {
    await holder.transaction(async (state) => {
      state.plugins.a = stateRecord('a');
    });
    order.push('a committed');
    await sleep(400);
    await holder.transaction(async (state) => {
      state.plugins.b = stateRecord('b');
    });
    order.push('b committed');
  });
  await sleep(100);
  const waiting = other.transaction(async (state) => {
    order.push(`other saw ${Object.keys(state.plugins).sort().join(',')}`);
    state.plugins.c = stateRecord('c');
  });
  await Promise.all([work, waiting]);
  expect(order).toEqual(['a committed', 'b committed', 'other saw a,b']);
});

it('gives another store the busy refusal when it will not wait that long', async () => {
  const holder = new StateStore(home);
  let release!: () => void;
  const work = holder.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
  await sleep(100);
  await expect(new StateStore(home, { lockTimeoutMs: 300 }).transaction(async () => undefined)).rejects.toMatchObject({
    code: 'LOCK_TIMEOUT',
    message: expect.stringContaining('try again later'),
  });
  release();
  await work;
});

it('announces each commit inside the lease, with the plugins before and after, before writing it', async () => {
  const store = new StateStore(home);
  const seen: string[] = [];
  await store.exclusive(async (lease) => {
    lease.beforeCommit = async (previous: Readonly<Record<string, InstalledPlugin>>, next: Readonly<Record<string, InstalledPlugin>>) => {
      const onDisk = Object.keys((await new StateStore(home).read()).plugins).join(',');
      seen.push(`${Object.keys(previous).join(',')} → ${Object.keys(next).join(',')} (disk: ${onDisk})`);
    };
    await store.transaction(async (state) => {
      state.plugins.a = stateRecord('a');
    });
    await store.transaction(async () => undefined); // no change, no commit
    await store.transaction(async (state) => {
      delete state.plugins.a;
    });
  });
  expect(seen).toEqual([' → a (disk: )', 'a →  (disk: a)']);
});

it('commits nothing more once the lease was taken over (a stall past the heartbeat)', async () => {
  const store = new StateStore(home);
  await expect(
    store.exclusive(async () => {
      await store.transaction(async (state) => {
        state.plugins.a = stateRecord('a');
      });
      writeFileSync(`${home.stateFile}.lock-owner`, 'another-process');
      await store.transaction(async (state) => {
        state.plugins.b = stateRecord('b');
      });
    }),
  ).rejects.toMatchObject({ code: 'LOCK_TIMEOUT', message: expect.stringContaining('another marathon process took over') });
  expect(Object.keys((await store.read()).plugins)).toEqual(['a']);
});

it('is re-entrant in its own flow, and exclusive for other flows of the same process', async () => {
  const store = new StateStore(home);
  const order: string[] = [];
  let release!: () => void;
  const work = store.exclusive(async () => {
    await store.exclusive(async () => {
      await store.transaction(async (state) => {
        state.plugins.a = stateRecord('a');
      });
    });
    await new Promise<void>((resolve) => (release = resolve));
    order.push('work done');
  });
  await sleep(100);
  const other = store.outsideLease(() =>
    store.transaction(async () => {
      order.push('other ran');
    }),
  );
  await sleep(300);
  release();
  await Promise.all([work, other]);
  expect(order).toEqual(['work done', 'other ran']);
});
