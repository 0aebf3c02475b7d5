// A host that keeps running sees what an operator changes from another process: `marathon plugin
// config` or `plugin authority` in a terminal commits to state.json, and this follower reloads the
// plugins of this host whose settings or authority changed (and moves the handlers of those whose
// hook priorities changed), so the new values reach ctx.config and the sandbox without a restart.
// state.json is replaced by a rename at each commit, so watching its folder catches every commit;
// a burst of commits is read once.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ownEntry, type InstalledState } from '@marathon/registry';
import type { ManagerParts } from './manager-parts';

type FollowerParts = Pick<ManagerParts, 'home' | 'store' | 'runtime'>;

/** How long a burst of commits may last before the state is read. */
const SETTLE_MS = 50;

function fingerprints(state: InstalledState): Map<string, { operator: string; priorities: string }> {
  const table = new Map<string, { operator: string; priorities: string }>();
  for (const [name, record] of Object.entries(state.plugins)) {
    table.set(name, {
      operator: JSON.stringify(ownEntry(state.operator ?? {}, name) ?? null),
      priorities: JSON.stringify(record.priorities ?? null),
    });
  }
  return table;
}

/**
 * Starts following state.json; `onReload` hears of each plugin reloaded (with the error when its
 * reload failed: it stays on its old instance). Returns a function that stops following.
 */
export async function followOperatorChanges(
  parts: FollowerParts,
  onReload: (plugin: string, error?: Error) => void = () => undefined,
): Promise<() => void> {
  let known = fingerprints(await parts.store.read());
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> = Promise.resolve();
  const check = async (): Promise<void> => {
    const state = await parts.store.read();
    const now = fingerprints(state);
    for (const [name, seen] of now) {
      const before = known.get(name);
      if (before === undefined) continue;
      const record = ownEntry(state.plugins, name)!;
      if (before.priorities !== seen.priorities && record.status === 'enabled') parts.runtime.activate(record);
      if (before.operator !== seen.operator && parts.runtime.isLoaded(name)) {
        await parts.runtime.reload(name).then(
          () => onReload(name),
          (error: unknown) => onReload(name, error as Error),
        );
      }
    }
    known = now;
  };
  const stateName = basename(parts.home.stateFile);
  const watcher: FSWatcher = watch(dirname(parts.home.stateFile), { persistent: false }, (_event, file) => {
    if (file !== stateName) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // One read at a time, in order; a failed read (a state being repaired) waits for the next commit.
      checking = checking.then(check).catch(() => undefined);
    }, SETTLE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
