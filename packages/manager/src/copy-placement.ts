// The commit side of an install: the staged copy is renamed into MARATHON_HOME/installed inside
// the caller's state transaction, and a replaced or removed copy leaves only once the state no
// longer points at it (into a sync's trash, which may roll back). A crash at any instant leaves
// the old or the new state; a folder renamed in but never committed is removed by the next
// start's reconcile.
import { randomBytes } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { installFolderName, ownEntry, removeInHome, type InstalledPlugin, type InstalledState } from '@marathon/registry';
import { recordIntegrity } from '@marathon/security/trust';
import type { InstallerContext } from './install-contract';
import { notInstalled } from './not-installed';
import { recordedSource, type Staged } from './staged-admission';
import type { Trash } from './trash';

/** What the state records of a copy placed in installed/. */
export type PlacedCopy = Pick<InstalledPlugin, 'source' | 'installed_at' | 'folder' | 'integrity'>;

/** Removes `path`, or keeps it in `trash` when one is given (a sync, which may roll back). */
export async function discard(context: InstallerContext, path: string, trash: Trash | undefined): Promise<void> {
  if (trash !== undefined) await trash.keep(path);
  // Never through a link, never outside the home: the path is built from a state record.
  else await removeInHome(context.home.root, path);
}

/** Renames the staged copy into installed/ (inside the caller's state transaction) and says what the state records of it. */
export async function placeCopy(context: InstallerContext, staged: Staged, folder: string): Promise<PlacedCopy> {
  const target = join(context.home.installedDir, folder);
  await mkdir(context.home.installedDir, { recursive: true, mode: 0o700 });
  await rename(staged.dir, target);
  return {
    source: recordedSource(staged),
    installed_at: new Date().toISOString(),
    folder,
    integrity: await recordIntegrity(target),
  };
}

/**
 * Swaps a staged copy in for an installed plugin's, under the state lock: `build` checks the
 * committed state and makes the new record, calling `place` to rename the copy in. The old copy
 * is removed once the state points at the new one.
 */
export async function swapIn(
  context: InstallerContext,
  staged: Staged,
  name: string,
  version: string,
  build: (previous: InstalledPlugin, state: InstalledState, place: () => Promise<PlacedCopy>) => Promise<InstalledPlugin>,
  trash?: Trash,
): Promise<{ record: InstalledPlugin; previous: InstalledPlugin }> {
  const folder = installFolderName(name, version, randomBytes(4).toString('hex'));
  const result = await context.store.transaction(async (state) => {
    const previous = ownEntry(state.plugins, name);
    if (previous === undefined) throw await notInstalled(context.store, name);
    const record = await build(previous, state, () => placeCopy(context, staged, folder));
    state.plugins[name] = record;
    return { record, previous };
  });
  await discard(context, join(context.home.installedDir, result.previous.folder), trash);
  return result;
}
