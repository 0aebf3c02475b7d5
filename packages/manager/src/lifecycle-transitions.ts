// Enabling and disabling, in dependency order: enable brings up what a plugin needs first and checks
// each loads; disable refuses while enabled plugins need it, unless asked to cascade.
import { ownEntry, type InstalledPlugin, type PluginStatus, type StateStore } from '@marathon/registry';
import { dependentsEnabled, enabledDependents, enableOrder } from './dependency-graph';
import { ManagerError } from './errors';
import type { ManagerParts } from './manager-parts';
import { notInstalled } from './not-installed';

/** Sets a plugin's status in the state, with the reason for an error (none: cleared). */
export async function setStatus(store: StateStore, name: string, status: PluginStatus, reason?: string): Promise<void> {
  await store.transaction(async (state) => {
    const record = ownEntry(state.plugins, name);
    if (record === undefined) return;
    record.status = status;
    if (reason === undefined) delete record.error;
    else record.error = reason;
  });
}

/**
 * Enables a plugin and, first, what it needs; checks that each loads. Returns the plugins enabled, dependencies first.
 * The load checks start sandboxes, which is slow: they run before the state lock is taken, and the
 * commit under it re-checks that each record is the one checked (another process may have changed
 * it meanwhile; one that changed is checked again there, the rare case).
 */
export async function enablePlugin(parts: Pick<ManagerParts, 'store' | 'runtime' | 'events'>, name: string): Promise<string[]> {
  const probed = new Map<string, ManagerError | undefined>();
  // The record as probed, but for its status: what the probe's outcome depends on.
  const probeKey = (record: InstalledPlugin) => JSON.stringify({ ...record, status: undefined, error: undefined });
  const probe = async (record: InstalledPlugin): Promise<ManagerError | undefined> => {
    // Load once (without init) so that a plugin that cannot run is caught now, not at its first event.
    try {
      const loaded = await parts.runtime.start(record, false, { markFailed: false });
      await loaded.plugin.unload();
      return undefined;
    } catch (error) {
      if (!(error instanceof ManagerError)) throw error;
      return error;
    }
  };
  const unlocked = (await parts.store.read()).plugins;
  let planned: string[] = [];
  try {
    if (ownEntry(unlocked, name) !== undefined) planned = enableOrder(name, unlocked);
  } catch (error) {
    // A missing dependency or a cycle is reported from under the lock, below, as before.
    if (!(error instanceof ManagerError)) throw error;
  }
  for (const plugin of planned) {
    const record = ownEntry(unlocked, plugin);
    if (record === undefined || record.status === 'enabled') continue;
    const failure = await probe(record);
    probed.set(probeKey(record), failure);
    if (failure !== undefined) break;
  }
  const { enabled, failure } = await parts.store.transaction(async (state) => {
    if (ownEntry(state.plugins, name) === undefined) throw await notInstalled(parts.store, name);
    const order = enableOrder(name, state.plugins);
    const changed: InstalledPlugin[] = [];
    for (const plugin of order) {
      const record = ownEntry(state.plugins, plugin)!;
      if (record.status === 'enabled') continue;
      const key = probeKey(record);
      const error = probed.has(key) ? probed.get(key) : await probe(record);
      if (error !== undefined) {
        // Commit what was enabled so far and the error state, then report the failure.
        record.status = 'error';
        record.error = error.message;
        return { enabled: changed, failure: error };
      }
      record.status = 'enabled';
      delete record.error;
      changed.push(record);
    }
    return { enabled: changed, failure: undefined };
  });
  for (const record of enabled) {
    parts.runtime.activate(record);
    const dependencies = record.name === name ? enabled.filter((other) => other.name !== name).map((other) => other.name) : [];
    parts.events.emit('enabled', { plugin: record.name, dependencies });
  }
  if (failure !== undefined) {
    parts.events.emit('failed', { plugin: name, reason: failure.message });
    throw failure;
  }
  return enabled.map((record) => record.name);
}

/** Disables a plugin; refuses while enabled plugins depend on it, unless `cascade` disables them too. */
export async function disablePlugin(
  parts: Pick<ManagerParts, 'store' | 'runtime' | 'events'>,
  name: string,
  options: { cascade?: boolean } = {},
): Promise<string[]> {
  const disabled = await parts.store.transaction(async (state) => {
    const record = ownEntry(state.plugins, name);
    if (record === undefined) throw await notInstalled(parts.store, name);
    const dependents = enabledDependents(name, state.plugins);
    if (dependents.length > 0 && options.cascade !== true) throw dependentsEnabled(name, dependents, ', or use --cascade');
    const order = [...dependents.reverse(), name];
    for (const plugin of order) ownEntry(state.plugins, plugin)!.status = 'disabled';
    return order;
  });
  for (const plugin of disabled) {
    parts.runtime.deactivate(plugin);
    await parts.runtime.unload(plugin);
    parts.events.emit('disabled', { plugin });
  }
  return disabled;
}
