import type { HookType } from '@marathon/plugin-api';
import { DurationHistogram } from './histogram';

/** Counters of one plugin on one hook. The bus keeps a reference per registration: no lookups per call. */
export class MetricsCell {
  calls = 0;
  failures = 0;
  totalNs = 0;
  readonly durations = new DurationHistogram();

  constructor(
    readonly plugin: string,
    readonly hook: HookType,
  ) {}

  record(success: boolean, ns: number): void {
    this.calls += 1;
    if (!success) this.failures += 1;
    this.totalNs += ns;
    this.durations.record(ns);
  }

  reset(): void {
    this.calls = 0;
    this.failures = 0;
    this.totalNs = 0;
    this.durations.reset();
  }
}

export interface HookMetrics {
  plugin: string;
  hook: HookType;
  calls: number;
  failures: number;
  /** successes / calls; 1 when there were no calls. */
  success_rate: number;
  total_ns: number;
  mean_ns: number;
  /** Percentiles from a fixed-size histogram: within 1/8 of the exact value. */
  p50_ns: number;
  p95_ns: number;
  max_ns: number;
}

/** Calls, failures and durations per plugin × hook. */
export class HookMetricsTable {
  private readonly cells = new Map<string, Map<HookType, MetricsCell>>();
  private resets = 0;

  /** How many times reset() ran: a reader that keeps running totals (the manager's history) starts again when it changes. */
  get generation(): number {
    return this.resets;
  }

  /** The cell for a plugin on a hook, created on first use. */
  cell(plugin: string, hook: HookType): MetricsCell {
    let byHook = this.cells.get(plugin);
    if (byHook === undefined) {
      byHook = new Map();
      this.cells.set(plugin, byHook);
    }
    let cell = byHook.get(hook);
    if (cell === undefined) {
      cell = new MetricsCell(plugin, hook);
      byHook.set(hook, cell);
    }
    return cell;
  }

  /** A snapshot of every plugin × hook that was called, optionally of one plugin or hook. */
  snapshot(filter: { plugin?: string; hook?: HookType } = {}): HookMetrics[] {
    const rows: HookMetrics[] = [];
    for (const [plugin, byHook] of this.cells) {
      if (filter.plugin !== undefined && plugin !== filter.plugin) continue;
      for (const [hook, cell] of byHook) {
        if (filter.hook !== undefined && hook !== filter.hook) continue;
        if (cell.calls === 0) continue;
        rows.push({
          plugin,
          hook,
          calls: cell.calls,
          failures: cell.failures,
          success_rate: (cell.calls - cell.failures) / cell.calls,
          total_ns: cell.totalNs,
          mean_ns: cell.totalNs / cell.calls,
          p50_ns: cell.durations.quantile(0.5),
          p95_ns: cell.durations.quantile(0.95),
          max_ns: cell.durations.max,
        });
      }
    }
    return rows;
  }

  reset(): void {
    this.resets += 1;
    for (const byHook of this.cells.values()) for (const cell of byHook.values()) cell.reset();
  }
}
