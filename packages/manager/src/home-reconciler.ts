// What a process finds when it opens MARATHON_HOME after another died in the middle of a change:
// a sync to roll back, staging folders nobody will finish, installed copies the state never
// committed. Each is put right before anything reads the home.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stagingOwner, type MarathonHome, type StateStore } from '@marathon/registry';
import { rollBackInterruptedSyncs } from './sync-journal';

/** Whether a process with this pid is running (EPERM: running, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const list = async (dir: string): Promise<string[]> => readdir(dir).catch(() => [] as string[]);

/**
 * Puts back syncs whose process died mid-way, then removes staging left by dead processes and
 * folders in installed/ the state does not know (a crash between rename and commit).
 */
export async function reconcileHome(home: MarathonHome, store: StateStore): Promise<void> {
  await rollBackInterruptedSyncs(home.stagingDir, store, (pid) => !pidAlive(pid));
  const stale = (await list(home.stagingDir)).filter((name) => {
    const owner = stagingOwner(name);
    return owner === undefined || !pidAlive(owner.pid);
  });
  for (const name of stale) await rm(join(home.stagingDir, name), { recursive: true, force: true });
  if ((await list(home.installedDir)).length === 0) return;
  await store.transaction(async (state) => {
    const known = new Set(Object.values(state.plugins).map((record) => record.folder));
    for (const name of await list(home.installedDir)) {
      if (!known.has(name)) await rm(join(home.installedDir, name), { recursive: true, force: true });
    }
  });
}
