// A sync is all-or-nothing even when its process is killed: before it changes anything it writes
// the plugins it started from into its trash folder, and removes that record only once the whole
// sync has been committed. The next process to open the home finds the record of a dead one and
// puts the host back: the state first, then everything the sync moved aside. The installed copies
// the sync added are then unknown to the state, and the manager's reconcile removes them.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nameTable, stagingOwner, stagingPrefix, writeFileAtomic, type InstalledPlugin, type StateStore } from '@marathon/registry';
import { Trash } from './trash';

const RECORD = 'sync.json';

interface SyncRecord {
  version: 1;
  pid: number;
  plugins: Record<string, InstalledPlugin>;
}

const PURPOSE = 'sync';

/** The trash folder of a sync by this process (inside staging, so dead ones are found there). */
export function syncTrashName(pid: number, unique: string): string {
  return `${stagingPrefix(pid, PURPOSE)}${unique}`;
}

/** Records where a sync starts from; call before its first change. */
export async function beginSync(trash: Trash, plugins: Record<string, InstalledPlugin>): Promise<void> {
  const record: SyncRecord = { version: 1, pid: process.pid, plugins };
  await mkdir(trash.dir, { recursive: true });
  await writeFileAtomic(join(trash.dir, RECORD), JSON.stringify(record));
}

/** Marks the sync done (it will not be rolled back), then deletes what it moved aside. */
export async function finishSync(trash: Trash): Promise<void> {
  await rm(join(trash.dir, RECORD), { force: true });
  await trash.empty();
}

/**
 * Rolls back the syncs of dead processes found in `stagingDir` (`isDead` decides from the pid in
 * the folder name). Returns how many were rolled back.
 */
export async function rollBackInterruptedSyncs(stagingDir: string, store: StateStore, isDead: (pid: number) => boolean): Promise<number> {
  const names = await readdir(stagingDir).catch(() => [] as string[]);
  let rolledBack = 0;
  for (const name of names) {
    const owner = stagingOwner(name);
    if (owner?.purpose !== PURPOSE || !isDead(owner.pid)) continue;
    const dir = join(stagingDir, name);
    let record: SyncRecord | undefined;
    try {
      record = JSON.parse(await readFile(join(dir, RECORD), 'utf8')) as SyncRecord;
    } catch {
      // No record: the sync had not started changing things, or had finished; only its trash is left.
    }
    if (record?.version === 1) {
      const plugins = nameTable(record.plugins);
      await store.transaction(async (state) => {
        state.plugins = plugins;
      });
      await Trash.recover(dir);
      rolledBack++;
    } else {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rolledBack;
}
