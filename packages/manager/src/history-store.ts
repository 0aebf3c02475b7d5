// What a later process can show of this one: the bus's event history (JSON Lines, rotated), its
// metrics (summed across processes), the sandbox's audit trail (JSON Lines, rotated, denials in a
// log of their own), and plugin logs. Everything lives under MARATHON_HOME/history. The summed
// files (metrics, timings) are read, merged and replaced under a lock of their own, so that two
// processes flushing at once both count; the bus's own metrics are never reset (a host may have
// passed its bus in and read them): what was written of them is remembered, once the write
// succeeded, and the rest added; a host's own reset of them (its generation) starts that over.
// usage.json holds each plugin's latest engine usage sample, from whichever process took it last.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EventRecord, HookBus, HookMetrics } from '@marathon/events';
import { withFileLock, writeFileAtomic, type MarathonHome } from '@marathon/registry';
import type { AuditEntry, LogEntry } from '@marathon/security/sandbox';
import { AuditLog } from './audit-log';
import { JsonlLog } from './jsonl-log';
import type { PersistedUsage, UsageSampler } from './plugin-usage';

export interface PersistedTiming {
  load_ms: number;
  init_ms: number;
  /** When it was measured. */
  at: string;
}

/** Metrics as persisted: counts and totals add up across processes; percentiles are the latest process's. */
export type PersistedMetrics = Record<string, HookMetrics>;

/** The sums of one plugin × hook already added to metrics.json by this process. */
interface Written {
  calls: number;
  failures: number;
  total_ns: number;
}

export class HistoryStore {
  readonly events: JsonlLog<EventRecord>;
  readonly audit: AuditLog;
  readonly logs: JsonlLog<LogEntry>;
  private readonly metricsFile: string;
  private readonly timingsFile: string;
  private readonly usageFile: string;
  private usageSampler: UsageSampler | undefined;
  private pendingUsage: Record<string, PersistedUsage> = Object.create(null) as Record<string, PersistedUsage>;
  private mark = 0;
  // No prototype: a plugin name is a key here, and every name must be an ordinary one.
  private pendingTimings: Record<string, PersistedTiming> = Object.create(null) as Record<string, PersistedTiming>;
  private pendingAudit: AuditEntry[] = [];
  private pendingLogs: LogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private written = new Map<string, Written>();
  /** The bus metrics' generation `written` counts in (HookMetricsTable.generation). */
  private writtenGeneration = 0;

  constructor(home: MarathonHome) {
    this.events = new JsonlLog(join(home.historyDir, 'events.jsonl'));
    this.audit = new AuditLog(home.historyDir);
    this.logs = new JsonlLog(join(home.historyDir, 'plugin-logs.jsonl'));
    this.metricsFile = join(home.historyDir, 'metrics.json');
    this.timingsFile = join(home.historyDir, 'timings.json');
    this.usageFile = join(home.historyDir, 'usage.json');
  }

  /** Where each write samples the engine usage of the plugins loaded in this process (plugin-usage.ts). */
  sampleUsageWith(sampler: UsageSampler): void {
    this.usageSampler = sampler;
  }

  /**
   * Samples usage now, for the next write: a manager closing calls it before it unloads its plugins,
   * since the write at close finds none loaded.
   */
  async sampleUsage(): Promise<void> {
    if (this.usageSampler === undefined) return;
    const at = new Date().toISOString();
    for (const [plugin, sample] of Object.entries(await this.usageSampler()))
      this.pendingUsage[plugin] = { ...sample, at, pid: process.pid };
  }

  /** The latest engine usage sample of each plugin, from whichever process took it last. */
  async usage(): Promise<Record<string, PersistedUsage>> {
    try {
      return JSON.parse(await readFile(this.usageFile, 'utf8')) as Record<string, PersistedUsage>;
    } catch {
      return {};
    }
  }

  recordTiming(plugin: string, timing: Omit<PersistedTiming, 'at'>): void {
    this.pendingTimings[plugin] = { ...timing, at: new Date().toISOString() };
  }

  /** The last load and init times of each plugin, from whichever process loaded it last. */
  async timings(): Promise<Record<string, PersistedTiming>> {
    try {
      return JSON.parse(await readFile(this.timingsFile, 'utf8')) as Record<string, PersistedTiming>;
    } catch {
      return {};
    }
  }

  /** Allowed calls wait for the next batch; a denial is written before this returns (see AuditLog). */
  recordAudit(entry: AuditEntry): void {
    if (entry.allowed) this.pendingAudit.push(entry);
    else this.audit.recordDenied(entry);
  }

  recordLog(entry: LogEntry): void {
    this.pendingLogs.push(entry);
  }

  /**
   * Writes soon rather than now: a host dispatching hooks all day would otherwise pay two fsyncs
   * per dispatch (measured: ~10 ms, a fifth of a 50-plugin dispatch). Writes at most every
   * `delayMs`, and at once when the bus's bounded history is half full of unwritten records, so
   * nothing is overwritten before it is saved. `flush()` (and the manager's close) writes the rest.
   */
  schedule(bus: HookBus, delayMs: number): Promise<void> {
    const unwritten = bus.history.total - this.mark;
    if (delayMs <= 0 || unwritten >= bus.history.capacity / 2) return this.flush(bus);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush(bus).catch(() => undefined);
    }, delayMs).unref();
    return Promise.resolve();
  }

  /** Appends what happened since the last write; writes run one at a time, in order. */
  flush(bus: HookBus): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const write = this.writing.then(() => this.write(bus));
    this.writing = write.catch(() => undefined);
    return write;
  }

  private async write(bus: HookBus): Promise<void> {
    // Sampled before anything is taken, so that the taking below stays in one turn.
    await this.sampleUsage().catch(() => undefined);
    // Everything to write is taken at once, before the first await: dispatches go on while the
    // files are written, and what they record belongs to the next write (a metrics reset after an
    // await lost the calls made meanwhile — found by the soak).
    const records = bus.history.since(this.mark);
    this.mark = bus.history.total;
    const audit = this.pendingAudit;
    const logs = this.pendingLogs;
    const timings = this.pendingTimings;
    const usage = this.pendingUsage;
    this.pendingUsage = Object.create(null) as Record<string, PersistedUsage>;
    this.pendingAudit = [];
    this.pendingLogs = [];
    this.pendingTimings = Object.create(null) as Record<string, PersistedTiming>;
    const { unsaved, written } = this.unsavedMetrics(bus.metrics);
    await this.events.append(records);
    await this.audit.append(audit);
    await this.logs.append(logs);
    // The locks are folders beside the files: their folder must be there first.
    const summed = Object.keys(timings).length > 0 || Object.keys(usage).length > 0 || unsaved.length > 0;
    if (summed) await mkdir(dirname(this.metricsFile), { recursive: true, mode: 0o700 });
    if (Object.keys(timings).length > 0) {
      await withFileLock(this.timingsFile, { held: this.timingsFile }, async () => {
        await writeFileAtomic(this.timingsFile, `${JSON.stringify({ ...(await this.timings()), ...timings }, null, 2)}\n`);
      });
    }
    if (Object.keys(usage).length > 0) {
      await withFileLock(this.usageFile, { held: this.usageFile }, async () => {
        await writeFileAtomic(this.usageFile, `${JSON.stringify(latestUsage(await this.usage(), usage), null, 2)}\n`);
      });
    }
    if (unsaved.length > 0) await withFileLock(this.metricsFile, { held: this.metricsFile }, () => this.saveMetrics(unsaved));
    // Only now: had the write failed, the next one would still owe these counts.
    this.written = written;
  }

  /**
   * What the bus counted since the last successful write: its rows less what was written of them,
   * and what will have been written once they are. After the host reset the bus's metrics (a new
   * generation), nothing written counts against them: the counting starts again.
   */
  private unsavedMetrics(metrics: HookBus['metrics']): { unsaved: HookMetrics[]; written: Map<string, Written> } {
    if (metrics.generation !== this.writtenGeneration) {
      this.written = new Map();
      this.writtenGeneration = metrics.generation;
    }
    const unsaved: HookMetrics[] = [];
    const written = new Map(this.written);
    for (const row of metrics.snapshot()) {
      const key = `${row.plugin} ${row.hook}`;
      const base = this.written.get(key) ?? { calls: 0, failures: 0, total_ns: 0 };
      written.set(key, { calls: row.calls, failures: row.failures, total_ns: row.total_ns });
      if (row.calls === base.calls) continue;
      unsaved.push({
        ...row,
        calls: row.calls - base.calls,
        failures: row.failures - base.failures,
        total_ns: row.total_ns - base.total_ns,
      });
    }
    return { unsaved, written };
  }

  async metrics(): Promise<PersistedMetrics> {
    try {
      return JSON.parse(await readFile(this.metricsFile, 'utf8')) as PersistedMetrics;
    } catch {
      return {};
    }
  }

  /** Adds `snapshot` to metrics.json; runs under the metrics lock. */
  private async saveMetrics(snapshot: HookMetrics[]): Promise<void> {
    const saved = await this.metrics();
    for (const row of snapshot) {
      const key = `${row.plugin} ${row.hook}`;
      const before = saved[key];
      const calls = (before?.calls ?? 0) + row.calls;
      const failures = (before?.failures ?? 0) + row.failures;
      const total = (before?.total_ns ?? 0) + row.total_ns;
      saved[key] = {
        ...row,
        calls,
        failures,
        success_rate: (calls - failures) / calls,
        total_ns: total,
        mean_ns: total / calls,
        max_ns: Math.max(before?.max_ns ?? 0, row.max_ns),
      };
    }
    await writeFileAtomic(this.metricsFile, `${JSON.stringify(saved, null, 2)}\n`);
  }
}

/** `saved` with each of `fresh`'s samples, unless the one saved is newer (another process wrote it since). */
function latestUsage(saved: Record<string, PersistedUsage>, fresh: Record<string, PersistedUsage>): Record<string, PersistedUsage> {
  const merged: Record<string, PersistedUsage> = Object.assign(Object.create(null) as Record<string, PersistedUsage>, saved);
  for (const [plugin, sample] of Object.entries(fresh)) {
    const before = merged[plugin];
    if (before === undefined || before.at <= sample.at) merged[plugin] = sample;
  }
  return merged;
}
