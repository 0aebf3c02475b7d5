// Install staging left by a dead process is removed at open even when a live process now has its
// pid (issue 16: pid 1 in every container): the folder's name records the owner's start time too.
// A sync's trash folder is named the same way (its liveness is the lock's, but its name still says
// whose it was).
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { marathonHome, processStartTime, stagingOwner, stagingPrefix } from '@marathon/registry';
import { SyncJournal } from '../src/sync-journal';
import { open, tempRoot, type Sandbox } from './helpers';

let sandbox: Sandbox;

beforeEach(() => {
  sandbox = tempRoot();
});
afterEach(() => sandbox.cleanup());

const linux = process.platform === 'linux' ? it : it.skip;
linux("removes a dead process's staging whose pid a live process reuses, and keeps the live one's", async () => {
  const staging = join(sandbox.home, 'staging');
  const start = processStartTime(process.pid)!;
  // This process's pid, but another (earlier) start: the process that made it is gone.
  const dead = join(staging, `${stagingPrefix(process.pid, undefined, String(Number(start) - 1))}abc123`);
  const live = join(staging, `${stagingPrefix(process.pid, undefined, start)}def456`);
  const legacy = join(staging, `${stagingPrefix(process.pid)}ghi789`);
  for (const dir of [dead, live, legacy]) mkdirSync(dir, { recursive: true });
  const manager = await open(sandbox);
  await manager.close();
  expect(existsSync(dead)).toBe(false);
  expect(existsSync(live)).toBe(true);
  expect(existsSync(legacy)).toBe(true);
});

linux("names a sync's trash folder by this process's pid and start time", async () => {
  mkdirSync(join(sandbox.home, 'staging'), { recursive: true });
  const journal = await SyncJournal.begin(marathonHome(sandbox.home), { token: 'the-sync', stillOurs: async () => true });
  expect(stagingOwner(basename(journal.dir))).toEqual({ pid: process.pid, start: processStartTime(process.pid), purpose: 'sync' });
});
