// What `marathon plugin top` shows: one row per installed plugin, from what every process on this
// MARATHON_HOME persisted under history/ (metrics.json, the recent events.jsonl, timings.json,
// usage.json) and the plugin's status in state.json. Nothing here is this process's alone: its own
// unwritten records are flushed first, like every other history query.
import type { EventRecord } from '@marathon/events';
import { VETO_HOOK_TYPES, type HookType } from '@marathon/plugin-api';
import { ownEntry, type PluginStatus } from '@marathon/registry';
import type { PersistedMetrics, PersistedTiming } from './history-store';
import type { ManagerParts } from './manager-parts';
import type { PersistedUsage } from './plugin-usage';

/** The recent window calls/s, error and veto rates are measured over. */
export const PERFORMANCE_WINDOW_MS = 60_000;

/** One hook of a plugin, from metrics.json: every call any process persisted. */
export interface HookPerformance {
  hook: HookType;
  calls: number;
  failures: number;
  /** failures / calls. */
  error_rate: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

/** A plugin's calls in the last PERFORMANCE_WINDOW_MS, from events.jsonl. */
export interface RecentPerformance {
  calls: number;
  calls_per_s: number;
  /** Failed calls on hooks that cannot veto. */
  errors: number;
  /** Failed calls on veto-capable hooks: each refused the operation (a throw there vetoes too). */
  vetoes: number;
  error_rate: number;
  veto_rate: number;
  /** Time spent in the plugin's handlers, in ms: what "heaviest" is measured by first. */
  time_ms: number;
}

export interface PluginPerformance {
  plugin: string;
  status: PluginStatus;
  /** Why the plugin is in error, from state.json. */
  error?: string;
  recent: RecentPerformance;
  hooks: HookPerformance[];
  /** The last load and init, from whichever process loaded it last. */
  timings: PersistedTiming | null;
  /** The last engine usage sample, from whichever process took it last. */
  usage: PersistedUsage | null;
}

export interface PerformanceReport {
  /** When the report was made (ISO 8601, UTC). */
  at: string;
  window_ms: number;
  /** Heaviest first: time spent in the window, then CPU time, then calls ever, then name. */
  plugins: PluginPerformance[];
}

const VETO_HOOKS: ReadonlySet<HookType> = new Set(VETO_HOOK_TYPES);

function ms(ns: number): number {
  return Math.round(ns / 1000) / 1000;
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function recentOf(events: readonly EventRecord[]): RecentPerformance {
  let errors = 0;
  let vetoes = 0;
  let ns = 0;
  for (const event of events) {
    ns += event.duration_ns;
    if (event.success) continue;
    if (VETO_HOOKS.has(event.hook_type)) vetoes++;
    else errors++;
  }
  const calls = events.length;
  return {
    calls,
    calls_per_s: calls / (PERFORMANCE_WINDOW_MS / 1000),
    errors,
    vetoes,
    error_rate: rate(errors, calls),
    veto_rate: rate(vetoes, calls),
    time_ms: ms(ns),
  };
}

function hooksOf(metrics: PersistedMetrics, plugin: string): HookPerformance[] {
  return Object.values(metrics)
    .filter((row) => row.plugin === plugin)
    .sort((a, b) => b.calls - a.calls || (a.hook < b.hook ? -1 : 1))
    .map((row) => ({
      hook: row.hook,
      calls: row.calls,
      failures: row.failures,
      error_rate: rate(row.failures, row.calls),
      p50_ms: ms(row.p50_ns),
      p95_ms: ms(row.p95_ns),
      max_ms: ms(row.max_ns),
    }));
}

function heavierFirst(a: PluginPerformance, b: PluginPerformance): number {
  const calls = (row: PluginPerformance): number => row.hooks.reduce((sum, hook) => sum + hook.calls, 0);
  return (
    b.recent.time_ms - a.recent.time_ms ||
    (b.usage?.cpu_ms ?? 0) - (a.usage?.cpu_ms ?? 0) ||
    calls(b) - calls(a) ||
    (a.plugin < b.plugin ? -1 : a.plugin > b.plugin ? 1 : 0)
  );
}

/** Every installed plugin's performance across all processes on this home, heaviest first. */
export async function performanceReport(
  parts: Pick<ManagerParts, 'store' | 'history' | 'bus'>,
  now: () => number = Date.now,
): Promise<PerformanceReport> {
  await parts.history.flush(parts.bus);
  const [state, metrics, events, timings, usage] = await Promise.all([
    parts.store.read(),
    parts.history.metrics(),
    parts.history.events.read(),
    parts.history.timings(),
    parts.history.usage(),
  ]);
  const at = now();
  const recent = new Map<string, EventRecord[]>();
  for (const event of events) {
    if (event.timestamp < at - PERFORMANCE_WINDOW_MS) continue;
    const list = recent.get(event.plugin_name);
    if (list === undefined) recent.set(event.plugin_name, [event]);
    else list.push(event);
  }
  const plugins = Object.values(state.plugins).map((record): PluginPerformance => ({
    plugin: record.name,
    status: record.status,
    ...(record.error === undefined ? {} : { error: record.error }),
    recent: recentOf(recent.get(record.name) ?? []),
    hooks: hooksOf(metrics, record.name),
    timings: ownEntry(timings, record.name) ?? null,
    usage: ownEntry(usage, record.name) ?? null,
  }));
  return { at: new Date(at).toISOString(), window_ms: PERFORMANCE_WINDOW_MS, plugins: plugins.sort(heavierFirst) };
}
