// Quarantine, the automatic blame of issue 20: a plugin whose calls keep failing through its own
// fault is put in the error state, deactivated and unloaded, so that the host stops paying for it
// (a deadline, a lost worker) on every event while everyone else keeps being served.
//
// Faults are kept in MARATHON_HOME/history/faults.json, not in memory: the CLI is a new process
// for every `marathon task run`, and a plugin that fails once in each of them is failing all the
// same. Only the faults inside the window are kept; the file holds a few numbers per plugin.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ownEntry, withFileLock, writeFileAtomic, type MarathonHome, type StateStore } from '@marathon/registry';
import type { SandboxError, SandboxErrorCode, SecurityPolicy } from '@marathon/security';

/** The thresholds an embedder gives a PluginManager; each key given replaces config.json's. */
export interface QuarantineOptions {
  /** false: never quarantine. Default: config.json's `quarantine.enabled`, else true. */
  enabled?: boolean;
  /** Failed calls (broken limits included) within the window that quarantine a plugin. Default 5. */
  maxFaults?: number;
  /** Broken limits (deadline, CPU, memory, stack) within the window that quarantine a plugin. Default 3. */
  maxBreaches?: number;
  /** The sliding window, in milliseconds. Default 60 000. */
  windowMs?: number;
  /** The clock faults are timed by (milliseconds since the epoch); Date.now unless a test drives it. */
  now?: () => number;
}

export interface QuarantineThresholds {
  enabled: boolean;
  maxFaults: number;
  maxBreaches: number;
  windowMs: number;
}

/** The thresholds in force: the embedder's options over config.json's `quarantine` (whose own defaults are policy-defaults.ts). */
export function quarantineThresholds(policy: SecurityPolicy['quarantine'], options: QuarantineOptions = {}): QuarantineThresholds {
  return {
    enabled: options.enabled ?? policy.enabled,
    maxFaults: options.maxFaults ?? policy.max_faults,
    maxBreaches: options.maxBreaches ?? policy.max_breaches,
    windowMs: options.windowMs ?? policy.window_s * 1000,
  };
}

/** The calls that failed because of the plugin itself: it threw, rejected or returned something that is not a result. */
const FAULTS: ReadonlySet<SandboxErrorCode> = new Set(['HANDLER_FAILED', 'BAD_RESULT']);
/**
 * Broken limits: each cost the host a whole deadline or a dropped instance. WORKER_LOST is not
 * one: it is the plugin that shared a worker with the one that overran, and the blameless one.
 */
const BREACHES: ReadonlySet<SandboxErrorCode> = new Set([
  'DEADLINE_EXCEEDED',
  'CPU_LIMIT_EXCEEDED',
  'MEMORY_LIMIT_EXCEEDED',
  'STACK_OVERFLOW',
]);

interface Fault {
  /** When, in milliseconds since the epoch. */
  at: number;
  breach: boolean;
}

type Ledger = Record<string, Fault[]>;

export interface QuarantineParts {
  home: MarathonHome;
  store: StateStore;
  /** Read at each fault: the policy is loaded after the manager is built. */
  thresholds: () => QuarantineThresholds;
  now: () => number;
  /** The plugin was put in the error state: take it off the bus and unload it. */
  quarantined: (plugin: string, reason: string) => Promise<void>;
}

export class Quarantine {
  private readonly file: string;
  /** One fault at a time in this process; the file lock keeps other processes in line. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly parts: QuarantineParts) {
    this.file = join(parts.home.historyDir, 'faults.json');
  }

  /**
   * Counts a failed call against its plugin, if the failure was the plugin's fault. Returns at
   * once: the caller's dispatch finishes without waiting, and `settled()` waits for the count.
   */
  note(plugin: string, error: SandboxError): void {
    const breach = BREACHES.has(error.code);
    if (!breach && !FAULTS.has(error.code)) return;
    const thresholds = this.parts.thresholds();
    if (!thresholds.enabled) return;
    const at = this.parts.now();
    this.queue = this.queue.then(() => this.count(plugin, { at, breach }, error.message, thresholds)).catch(() => undefined);
  }

  /** Resolves when every fault noted so far is counted (and its quarantine, if any, done). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Starts a plugin's count afresh: the operator enabled it again. */
  forget(plugin: string): void {
    this.queue = this.queue.then(() => this.update((ledger) => void delete ledger[plugin])).catch(() => undefined);
  }

  private async count(plugin: string, fault: Fault, message: string, thresholds: QuarantineThresholds): Promise<void> {
    const since = fault.at - thresholds.windowMs;
    const reason = await this.update((ledger) => {
      const faults = [...(ledger[plugin] ?? []).filter((earlier) => earlier.at > since), fault];
      const breaches = faults.filter((earlier) => earlier.breach).length;
      const seconds = thresholds.windowMs / 1000;
      const tripped =
        breaches >= thresholds.maxBreaches
          ? `${breaches} broken ${breaches === 1 ? 'limit' : 'limits'}`
          : faults.length >= thresholds.maxFaults
            ? `${faults.length} ${faults.length === 1 ? 'fault' : 'faults'}`
            : undefined;
      if (tripped === undefined) {
        ledger[plugin] = faults;
        return undefined;
      }
      delete ledger[plugin];
      return `quarantined: ${tripped} in ${seconds} s (last: ${message}); fix it and run marathon plugin enable ${plugin}`;
    }, since);
    if (reason === undefined) return;
    const quarantined = await this.parts.store.transaction(async (state) => {
      const record = ownEntry(state.plugins, plugin);
      // Disabled or uninstalled meanwhile (here or by another process): nothing left to stop.
      if (record?.status !== 'enabled') return false;
      record.status = 'error';
      record.error = reason;
      return true;
    });
    if (quarantined) await this.parts.quarantined(plugin, reason);
  }

  /** Changes the ledger under its lock; faults older than `since` (every plugin's) are dropped on the way. */
  private async update<T>(change: (ledger: Ledger) => T, since = -Infinity): Promise<T> {
    return withFileLock(this.file, { held: this.file }, async () => {
      const ledger = await this.read();
      const result = change(ledger);
      for (const [plugin, faults] of Object.entries(ledger)) {
        const recent = faults.filter((fault) => fault.at > since);
        if (recent.length === 0) delete ledger[plugin];
        else ledger[plugin] = recent;
      }
      await writeFileAtomic(this.file, `${JSON.stringify(ledger)}\n`);
      return result;
    });
  }

  private async read(): Promise<Ledger> {
    // No prototype: a plugin name is a key here, and every name must be an ordinary one.
    const ledger = Object.create(null) as Ledger;
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null) return ledger;
      for (const [plugin, faults] of Object.entries(parsed)) {
        if (Array.isArray(faults)) ledger[plugin] = faults.filter(isFault);
      }
    } catch {
      // Missing or damaged: the counts start again, which only delays a quarantine.
    }
    return ledger;
  }
}

function isFault(value: unknown): value is Fault {
  return (
    typeof value === 'object' && value !== null && typeof (value as Fault).at === 'number' && typeof (value as Fault).breach === 'boolean'
  );
}
