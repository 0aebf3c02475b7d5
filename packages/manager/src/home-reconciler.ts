// What a process finds when it opens MARATHON_HOME after another died in the middle of a change:
// a sync to roll back, staging folders nobody will finish, installed copies the state never
// committed. Each is put right before anything reads the home. Whether a sync is dead is decided
// by its lock (sync-journal.ts); a pid (and, on Linux, the process's start time, since pids repeat:
// pid 1 in every container) decides only for install staging, which is merely removed.
// Everything is removed through removeInHome: inside the home, never through a link.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { processStartTime, removeInHome, stagingOwner, type MarathonHome, type StateStore } from '@marathon/registry';
import { rollBackInterruptedSyncs } from './sync-journal';

/** Whether a process with this pid is running (EPERM: running, as another user). Wrong under pid reuse: only for staging leftovers. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process that made a staging folder still runs: its pid, and the same start time when the name records one. */
function ownerAlive(owner: { pid: number; start?: string }): boolean {
  if (!pidAlive(owner.pid)) return false;
  if (owner.start === undefined) return true;
  const start = processStartTime(owner.pid);
  return start === undefined || start === owner.start;
}

const list = async (dir: string): Promise<string[]> => readdir(dir).catch(() => [] as string[]);

/**
 * Puts back syncs whose process died mid-way, then removes staging left by dead processes and
 * folders in installed/ the state does not know (a crash between rename and commit).
 */
export async function reconcileHome(home: MarathonHome, store: StateStore): Promise<void> {
  await rollBackInterruptedSyncs(home, store);
  const stale = (await list(home.stagingDir)).filter((name) => {
    const owner = stagingOwner(name);
    // A sync's folder is the lock's to judge (above), whatever pid it names.
    if (owner?.purpose === 'sync') return false;
    return owner === undefined || !ownerAlive(owner);
  });
  for (const name of stale) await removeInHome(home.root, join(home.stagingDir, name));
  if ((await list(home.installedDir)).length === 0) return;
  await store.transaction(async (state) => {
    const known = new Set(Object.values(state.plugins).map((record) => record.folder));
    for (const name of await list(home.installedDir)) {
      if (!known.has(name)) await removeInHome(home.root, join(home.installedDir, name));
    }
  });
}
