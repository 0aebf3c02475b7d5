// A sync (fleet-sync.ts) run as one transaction: under the state lock from plan to end, journaled
// (sync-journal.ts), and on any failure rolled back to what it changed, with the error saying so.
import { ownEntry } from '@marathon/registry';
import { ManagerError } from './errors';
import type { Lockfile } from './fleet-lock';
import { applySync, planSync, type SyncStep, type SyncTarget } from './fleet-sync';
import { reconcileHome } from './home-reconciler';
import type { ManagerParts } from './manager-parts';
import { rollBackInterruptedSyncs, SyncJournal, undoSync, type UndoReport } from './sync-journal';
import type { Trash } from './trash';

type SyncParts = Pick<ManagerParts, 'home' | 'store' | 'runtime'>;

/**
 * Makes this host match a lockfile exactly. Idempotent (no steps: nothing touched). Holds the
 * state lock from planning to the end, so other processes wait (or give up with LOCK_TIMEOUT)
 * instead of changing plugins under it. On any failure, what this sync changed is put back —
 * only that, checked against the current state (sync-journal.ts) — and the error says so.
 * `target` gives the operations the steps use; what they remove goes to the sync's trash.
 */
export function syncToLock(parts: SyncParts, lock: Lockfile, target: (trash: Trash) => SyncTarget): Promise<SyncStep[]> {
  return parts.store.exclusive(async (lease) => {
    // A dead sync's journal is rolled back before this one plans from the state.
    await rollBackInterruptedSyncs(parts.home, parts.store);
    const steps = planSync(await parts.store.read(), lock);
    if (steps.length === 0) return steps;
    const journal = await SyncJournal.begin(parts.home, lease);
    lease.beforeCommit = (previous, next, operator) => journal.recordCommit(previous, next, operator);
    try {
      await applySync(target(journal.trash), lock, steps);
    } catch (error) {
      lease.beforeCommit = undefined;
      throw await rolledBack(parts, journal, error, await lease.stillOurs());
    } finally {
      lease.beforeCommit = undefined;
    }
    if (!(await lease.stillOurs()))
      throw await rolledBack(parts, journal, new Error('this process stalled and lost its lock on MARATHON_HOME'), false);
    await journal.finish();
    return steps;
  });
}

/**
 * Undoes a failed sync's own changes — under its lease while it still holds the lock, else
 * after taking the lock afresh (the process that took it over may have undone it already) —
 * and says what was put back and what someone else had changed meanwhile.
 */
async function rolledBack(parts: SyncParts, journal: SyncJournal, error: unknown, stillHeld: boolean): Promise<ManagerError> {
  const undo = async (): Promise<UndoReport | undefined> => {
    const report = await undoSync(parts.home, parts.store, journal.dir);
    await reconcileHome(parts.home, parts.store);
    return report;
  };
  const report = stillHeld ? await undo() : await parts.store.outsideLease(() => parts.store.exclusive(undo));
  const current = (await parts.store.read()).plugins;
  for (const name of journal.touched) {
    parts.runtime.deactivate(name);
    await parts.runtime.unload(name).catch(() => undefined);
    const record = ownEntry(current, name);
    if (record?.status === 'enabled') parts.runtime.activate(record);
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const details = error instanceof ManagerError ? [...error.details] : [];
  for (const name of report?.leftAlone ?? [])
    details.push(`'${name}' was changed by another process after this sync changed it: left as it is now`);
  const how = report === undefined ? 'another marathon process had already put this host back' : 'this host was put back as it was';
  return new ManagerError(
    'SYNC_FAILED',
    `the sync failed and ${how}${report !== undefined && report.leftAlone.length > 0 ? ', except what another process changed since' : ''}: ${message}`,
    details,
  );
}
