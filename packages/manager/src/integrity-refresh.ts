// `plugin refresh`: the search paths rediscovered and every installed copy's files checked again
// against the digests recorded at install; a changed copy is put in error and stops running.
import { join } from 'node:path';
import { discover, type Discovery, type SearchPath } from '@marathon/registry';
import { checkIntegrity } from '@marathon/security';
import { setStatus } from './lifecycle-transitions';
import type { ManagerParts } from './manager-parts';
import { repairHint } from './repair-source';

export interface RefreshResult extends Discovery {
  /** Installed plugins whose files changed since install (now in the error state). */
  modified: Array<{ name: string; reason: string }>;
}

/** Rediscovers the search paths and re-checks the integrity of every installed copy. */
export async function refreshPlugins(parts: Pick<ManagerParts, 'home' | 'store' | 'runtime'>, paths: SearchPath[]): Promise<RefreshResult> {
  const discovery = await discover(paths);
  const modified: RefreshResult['modified'] = [];
  for (const record of Object.values((await parts.store.read()).plugins)) {
    const result = await checkIntegrity(
      join(parts.home.installedDir, record.folder),
      record.integrity,
      `plugin '${record.name}'`,
      repairHint(record.name),
    );
    if (!result.ok) {
      modified.push({ name: record.name, reason: result.message });
      await setStatus(parts.store, record.name, 'error', result.message);
      parts.runtime.deactivate(record.name);
    }
  }
  return { ...discovery, modified };
}
