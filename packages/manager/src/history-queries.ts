// Reads of what MARATHON_HOME/history keeps for every process (events, audit, plugin logs, metrics,
// timings), each flushing this process's unwritten records first so that they are included.
import type { EventRecord, HookMetrics } from '@marathon/events';
import type { HookType } from '@marathon/plugin-api';
import { ownEntry, type InstalledPlugin } from '@marathon/registry';
import type { AuditEntry, LogEntry } from '@marathon/security';
import type { ManagerParts } from './manager-parts';
import { notInstalled } from './not-installed';
import type { PluginTimings } from './plugin-runtime';

export interface PluginInfo {
  record: InstalledPlugin;
  loaded: boolean;
  timings?: PluginTimings;
  metrics: HookMetrics[];
}

type HistoryParts = Pick<ManagerParts, 'history' | 'bus'>;

/** A plugin's record, whether it is loaded here, its load timings and its hooks' metrics. */
export async function pluginInfo(parts: Pick<ManagerParts, 'store' | 'runtime' | 'history' | 'bus'>, name: string): Promise<PluginInfo> {
  const record = ownEntry((await parts.store.read()).plugins, name);
  if (record === undefined) throw await notInstalled(parts.store, name);
  await parts.history.flush(parts.bus);
  const saved = await parts.history.metrics();
  const timings = parts.runtime.timings(name) ?? ownEntry(await parts.history.timings(), name);
  return {
    record,
    loaded: parts.runtime.isLoaded(name),
    ...(timings === undefined ? {} : { timings }),
    metrics: Object.values(saved).filter((row) => row.plugin === name),
  };
}

/** The persisted event history (all processes), newest last. */
export async function eventHistory(parts: HistoryParts, filter: { plugin?: string; hook?: HookType }): Promise<EventRecord[]> {
  await parts.history.flush(parts.bus);
  return (await parts.history.events.read()).filter(
    (record) =>
      (filter.plugin === undefined || record.plugin_name === filter.plugin) &&
      (filter.hook === undefined || record.hook_type === filter.hook),
  );
}

/** The persisted audit trail (all processes). */
export async function auditTrail(parts: HistoryParts, filter: { plugin?: string; allowed?: boolean }): Promise<AuditEntry[]> {
  await parts.history.flush(parts.bus);
  return (await parts.history.audit.read()).filter(
    (entry) =>
      (filter.plugin === undefined || entry.plugin === filter.plugin) && (filter.allowed === undefined || entry.allowed === filter.allowed),
  );
}

/** The lines plugins wrote with ctx.log (all processes), oldest first. */
export async function pluginLogs(parts: HistoryParts, filter: { plugin?: string }): Promise<LogEntry[]> {
  await parts.history.flush(parts.bus);
  return (await parts.history.logs.read()).filter((entry) => filter.plugin === undefined || entry.plugin === filter.plugin);
}

/** Calls `onEntry` with each line plugins write with ctx.log from now on, in any process; returns a function that stops. */
export function followPluginLogs(
  parts: Pick<ManagerParts, 'history'>,
  filter: { plugin?: string },
  onEntry: (entry: LogEntry) => void,
): () => void {
  return parts.history.logs.follow((entries) => {
    for (const entry of entries) if (filter.plugin === undefined || entry.plugin === filter.plugin) onEntry(entry);
  });
}
