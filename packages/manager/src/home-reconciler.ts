// What a process finds when it opens MARATHON_HOME after another died in the middle of a change:
// a sync to roll back, staging folders nobody will finish, installed copies the state never
// committed. Each is put right before anything reads the home. Whether a sync is dead is decided
// by its lock (sync-journal.ts); a pid (and, on Linux, the process's start time, since pids repeat:
// pid 1 in every container) decides only for install staging, which is merely removed.
// Everything is removed through removeInHome: inside the home, never through a link.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { processRuns, removeInHome, stagingOwner, type MarathonHome, type StateStore } from '@marathon/registry';
import { restoreAbandonedBisect } from './bisect-session';
import { rollBackInterruptedSyncs } from './sync-journal';

const list = async (dir: string): Promise<string[]> => readdir(dir).catch(() => [] as string[]);

/**
 * Puts back syncs whose process died mid-way, then removes staging left by dead processes and
 * folders in installed/ the state does not know (a crash between rename and commit). Every open
 * runs this, read-only ones included, so it never waits for the state lock: it looks first without
 * it, and takes it only when there is something to put right and no live process holds it (a
 * live holder's sync or install is running, not dead; a later open tidies up after it if it dies).
 */
export async function reconcileHome(home: MarathonHome, store: StateStore): Promise<void> {
  if (!(await store.heldElsewhere())) await rollBackInterruptedSyncs(home, store);
  // A bisect killed mid-way left plugins disabled: after any sync rollback, which rewrites statuses.
  await restoreAbandonedBisect(home, store);
  const stale = (await list(home.stagingDir)).filter((name) => {
    const owner = stagingOwner(name);
    // A sync's folder is the lock's to judge (above), whatever pid it names.
    if (owner?.purpose === 'sync') return false;
    return owner === undefined || !processRuns(owner.pid, owner.start);
  });
  for (const name of stale) await removeInHome(home.root, join(home.stagingDir, name));
  const unknown = async (folders: string[]) => {
    const known = new Set(Object.values((await store.read()).plugins).map((record) => record.folder));
    return folders.some((name) => !known.has(name));
  };
  if (!(await unknown(await list(home.installedDir))) || (await store.heldElsewhere())) return;
  await store.transaction(async (state) => {
    const known = new Set(Object.values(state.plugins).map((record) => record.folder));
    for (const name of await list(home.installedDir)) {
      if (!known.has(name)) await removeInHome(home.root, join(home.installedDir, name));
    }
  });
}
