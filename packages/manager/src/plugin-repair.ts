// `plugin repair`: a plugin's files put back as installed, from its recorded source — the copy
// fetched and checked (restoreFiles), then the plugin brought back to running (repairPlugin).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ownEntry, RegistryError, type InstalledPlugin, type PluginStatus, type StateStore } from '@marathon/registry';
import { checkIntegrity, firstDifference, recordIntegrity } from '@marathon/security/trust';
import { swapIn } from './copy-placement';
import { ManagerError } from './errors';
import type { InstallerContext, InstallOptions } from './install-contract';
import { notInstalled } from './not-installed';
import type { PluginRuntime } from './plugin-runtime';
import { repairHint, repairRequest } from './repair-source';
import { admit } from './staged-admission';
import { describeSource } from './trust-change';

export interface RepairResult {
  name: string;
  version: string;
  /** False when its files were as installed: nothing was fetched. */
  repaired: boolean;
  /** Its status afterwards. */
  status: PluginStatus;
  message: string;
}

/** A copy put back: the record now committed and the one it replaced. */
export interface RestoredCopy {
  record: InstalledPlugin;
  previous: InstalledPlugin;
}

/**
 * Puts back the files of an installed plugin as they were installed: its recorded source fetched
 * again (repair-source.ts), through the same trust gate, and taken only when every file matches
 * the digests recorded at install — a repair restores, it never updates. Status, granted
 * permissions, priorities and data are kept; a plugin in error comes back disabled (the manager
 * enables it again). Undefined when the installed copy is intact: nothing to do.
 */
export async function restoreFiles(
  context: InstallerContext,
  name: string,
  options: InstallOptions = {},
): Promise<RestoredCopy | undefined> {
  const current = ownEntry((await context.store.read()).plugins, name);
  if (current === undefined) throw await notInstalled(context.store, name);
  const intact = await checkIntegrity(
    join(context.home.installedDir, current.folder),
    current.integrity,
    `plugin '${name}'`,
    repairHint(name),
  );
  if (intact.ok) return undefined;
  const from = describeSource(current.source);
  const { request, at, integrity } = repairRequest(current.source);
  const admitted = await admit(context, request, { ...options, ...(integrity === undefined ? {} : { integrity }) }, current, at).catch(
    (error: unknown) => {
      if (error instanceof ManagerError && error.code === 'NOT_FOUND') {
        throw new ManagerError(
          'SOURCE_GONE',
          `plugin '${name}' cannot be repaired: it was installed from ${from}, which is gone ` +
            `(${error.message}); install it from where it is now with marathon plugin update ${name} <source> ` +
            `--allow-source-change (its settings and data are kept)`,
        );
      }
      if (error instanceof RegistryError && error.code === 'DOWNLOAD_FAILED' && error.message.includes('does not match --integrity')) {
        throw new ManagerError(
          'SOURCE_CHANGED',
          `plugin '${name}' cannot be repaired: ${from} no longer holds what was installed (${error.message})`,
        );
      }
      throw error;
    },
  );
  const { staged, signature } = admitted;
  try {
    const change = firstDifference(current.integrity, await recordIntegrity(staged.dir));
    if (change !== undefined) {
      // An npm plugin updates by name alone; any other source is named again.
      const update = `marathon plugin update ${name} ${current.source.kind === 'npm' ? '' : request}`.trimEnd();
      throw new ManagerError(
        'SOURCE_CHANGED',
        `plugin '${name}' cannot be repaired from ${from}: it no longer holds the ${current.version} that was installed ` +
          `(${change.path} was ${change.change} there since); to install what it holds now, run ${update}`,
      );
    }
    return await swapIn(context, staged, name, current.version, async (previous, _state, place) => {
      if (previous.folder !== current.folder)
        throw new ManagerError(
          'SOURCE_CHANGED',
          `plugin '${name}' was changed by another marathon process during the repair: run marathon plugin repair ${name} again`,
        );
      const record: InstalledPlugin = { ...previous, ...(await place()), signature };
      if (record.status === 'error') record.status = 'disabled';
      delete record.error;
      return record;
    });
  } finally {
    await rm(staged.stagingRoot, { recursive: true, force: true });
  }
}

/** What repairPlugin needs of the manager. */
export interface RepairHost {
  store: StateStore;
  runtime: PluginRuntime;
  installer: { repair(name: string, options: InstallOptions): Promise<RestoredCopy | undefined> };
  enable(name: string): Promise<string[]>;
}

/**
 * Puts back a plugin's files as installed (restoreFiles). Its enabled state, settings and data are
 * kept; a plugin that was in error is enabled again (it is in error because it failed to load, or
 * refresh found its files changed).
 */
export async function repairPlugin(host: RepairHost, name: string, options: InstallOptions = {}): Promise<RepairResult> {
  const repaired = await host.installer.repair(name, options);
  if (repaired === undefined) {
    const record = ownEntry((await host.store.read()).plugins, name)!;
    const error =
      record.status === 'error'
        ? `; it is in error for another reason (${record.error ?? 'unknown'}): marathon plugin enable ${name} tries it again`
        : '';
    return {
      name,
      version: record.version,
      repaired: false,
      status: record.status,
      message: `plugin '${name}' ${record.version} has its files as installed: nothing to repair${error}`,
    };
  }
  const { record, previous } = repaired;
  if (record.status === 'enabled') await host.runtime.takeOver(record);
  else if (previous.status === 'error') {
    await host.enable(name);
  }
  const status = ownEntry((await host.store.read()).plugins, name)?.status ?? record.status;
  return {
    name,
    version: record.version,
    repaired: true,
    status,
    message: `plugin '${name}' ${record.version} repaired from ${describeSource(record.source)}`,
  };
}
