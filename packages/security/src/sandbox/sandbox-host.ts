// The sandbox as the manager uses it: load a plugin (folder + manifest + data folder), call its
// hooks, commands, init and deinit, read its usage, unload it. Plugins run in worker threads
// (worker-pool.ts), each in its own QuickJS engine; see plugin-instance.ts for the engine and
// sandbox-worker.ts for the watchdog. A plugin that breaks a limit loses its instance and its next
// call starts a fresh one (load and init again); plugins that shared a worker killed by the
// watchdog are reloaded the same way, transparently (worker-loss.ts says what became of each call).
// This class routes: plugin records by instance key, calls to the worker holding the instance.
import { mkdir } from 'node:fs/promises';
import type { HookType, JsonValue } from '@marathon/plugin-api';
import type { Manifest } from '@marathon/manifest';
import { AuditTrail, type AuditEntry } from '../audit-trail';
import { SandboxError, type SandboxErrorCode } from '../errors';
import { lostCallMessage } from './breach-message';
import { toHookResult } from './hook-answer';
import { dispatchHook } from './hook-dispatch';
import { effectiveLimits, type EffectiveLimits, type OperatorLimits } from './limits';
import { manifestMismatches, newPluginRecord, type PluginRecord } from './plugin-record';
import type { CallRequest, LogEntry, ReceivedResult } from './protocol';
import type { HookCallResult, PluginSource, SandboxHostOptions } from './sandbox-options';
import { WorkerLost, type SandboxWorker } from './sandbox-worker';
import { SandboxedPlugin } from './sandboxed-plugin';
import { culpritKeyOf, lossReason, overranMessage, resultsOfLostCalls } from './worker-loss';
import { WorkerPool } from './worker-pool';

export class SandboxHost {
  readonly audit: AuditTrail;
  private readonly workers: WorkerPool;
  /** Every loaded instance by its key, so that a stopped worker's culprit can be named and charged. */
  private readonly byKey = new Map<number, PluginRecord>();
  private nextKey = 1;
  private closed = false;

  constructor(private readonly options: SandboxHostOptions = {}) {
    this.audit = new AuditTrail(options.auditCapacity ?? 5000, options.onAudit);
    this.workers = new WorkerPool(
      options.workers ?? 1,
      (worker, error) => this.workerLost(worker, error),
      (entry) => this.audit.record(entry),
    );
  }

  /** The limits a plugin with this manifest runs under (and the operator's for it, if any). */
  limitsFor(manifest: Manifest, operator?: OperatorLimits): EffectiveLimits {
    return effectiveLimits(manifest.limits, this.options.policy?.limits, operator);
  }

  /** Loads a plugin's code into a fresh instance and checks it implements what its manifest declares. Does not run init. */
  async load(source: PluginSource): Promise<SandboxedPlugin> {
    await mkdir(source.dataDir, { recursive: true, mode: 0o700 });
    const record = await newPluginRecord(source, this.options, this.limitsFor(source.manifest, source.limits));
    await this.instantiate(record);
    return new SandboxedPlugin(this, record);
  }

  /**
   * A worker stopped. When the watchdog stopped it, the plugin that was running guest code then is
   * the one charged (whichever request it was serving); every other plugin in the worker only lost
   * its instance, and its next call loads a fresh one.
   */
  private workerLost(worker: SandboxWorker, error: WorkerLost): void {
    this.workers.lost(worker);
    const culprit = this.culprit(error);
    if (culprit !== undefined && culprit.worker === worker) {
      culprit.breaches += 1;
      this.options.onBreach?.({ plugin: culprit.name, code: 'DEADLINE_EXCEEDED', message: overranMessage(culprit) });
    }
    for (const key of worker.keys) {
      const record = this.byKey.get(key);
      if (record !== undefined) this.forget(record);
    }
  }

  /** The plugin the watchdog stopped a worker for, if it was running guest code at the time. */
  private culprit(error: WorkerLost): PluginRecord | undefined {
    const key = culpritKeyOf(error);
    return key !== 0 ? this.byKey.get(key) : undefined;
  }

  /** Loads the record's code into a new instance in some worker. */
  private async instantiate(record: PluginRecord, retry = true): Promise<void> {
    if (this.closed) throw new SandboxError('DISPOSED', record.name, 'the sandbox is closed');
    const worker = this.workers.pick();
    worker.loading += 1;
    try {
      await this.instantiateIn(worker, record, retry);
    } finally {
      worker.loading -= 1;
    }
  }

  private async instantiateIn(worker: SandboxWorker, record: PluginRecord, retry: boolean): Promise<void> {
    await worker.ready;
    const key = this.nextKey++;
    this.byKey.set(key, record);
    let reply;
    try {
      reply = await worker.request({ type: 'load', spec: { ...record.spec, key } }, record.spec.limits.call_deadline_ms);
    } catch (error) {
      this.byKey.delete(key);
      if (error instanceof WorkerLost && error.culpritKey !== key && retry) {
        // Another plugin's overrun (or a crash) took the worker while this one loaded: load again.
        return this.instantiate(record, false);
      }
      throw this.lostError(record, key, error);
    }
    this.absorb(reply);
    if (reply.error !== undefined) {
      this.byKey.delete(key);
      throw new SandboxError(reply.error.code, record.name, reply.error.message);
    }
    const problems = manifestMismatches(record.manifest, reply.described ?? { hooks: [], commands: [] });
    if (problems.length > 0) {
      this.byKey.delete(key);
      await worker.request({ type: 'unload', key }, 1000).catch(() => undefined);
      throw new SandboxError(
        'MANIFEST_MISMATCH',
        record.name,
        `plugin '${record.name}' does not match its manifest: ${problems.join('; ')}`,
      );
    }
    if (record.key !== 0) this.byKey.delete(record.key);
    record.key = key;
    record.worker = worker;
    worker.keys.add(key);
  }

  private lostError(record: PluginRecord, key: number, error: unknown): SandboxError {
    if (error instanceof WorkerLost) {
      this.forget(record);
      if (error.culpritKey === key) return new SandboxError('DEADLINE_EXCEEDED', record.name, overranMessage(record));
      return new SandboxError(
        'WORKER_LOST',
        record.name,
        lostCallMessage(record.name, 'not_loaded', lossReason(error, this.culprit(error))),
      );
    }
    throw error;
  }

  /** @internal The plugin was unloaded for good: its key names nothing any more. */
  released(record: PluginRecord): void {
    this.byKey.delete(record.key);
  }

  /** The record's instance is gone; its next call loads a new one. */
  private forget(record: PluginRecord): void {
    record.worker?.keys.delete(record.key);
    record.worker = undefined;
  }

  /** Takes in what a reply carries besides its answer: audit entries, logs, dropped instances. */
  private absorb(
    reply: { audit: AuditEntry[]; logs: LogEntry[]; dropped: Array<{ key: number; code: SandboxErrorCode; message: string }> },
    records: PluginRecord[] = [],
  ): void {
    for (const entry of reply.audit) this.audit.record(entry);
    for (const entry of reply.logs) this.options.onLog?.(entry);
    for (const drop of reply.dropped) {
      const record = records.find((candidate) => candidate.key === drop.key);
      if (record === undefined) continue;
      this.forget(record);
      record.breaches += 1;
      this.options.onBreach?.({ plugin: record.name, code: drop.code, message: drop.message });
    }
  }

  /** Makes sure the record has a live instance: loads (and inits) a new one after a breach or a lost worker. */
  async ensureLoaded(record: PluginRecord): Promise<SandboxWorker> {
    if (record.unloaded) throw new SandboxError('DISPOSED', record.name, `plugin '${record.name}' was unloaded`);
    if (record.worker !== undefined && record.worker.alive && record.worker.keys.has(record.key)) return record.worker;
    this.forget(record);
    await this.instantiate(record);
    if (record.initialized) {
      const [result] = await this.run(
        [record],
        [{ key: record.key, kind: 'init', name: 'init', payload: 'null', deadlineMs: record.initDeadlineMs }],
        null,
      );
      if (result !== undefined && !result.ok) throw new SandboxError(result.code, record.name, result.message, result.stack);
    }
    return record.worker!;
  }

  /**
   * Runs calls for records that live in one worker, in one message. When the worker is lost, each
   * call is reported by what became of it (worker-loss.ts); a call that never started comes back
   * as `notRun`, which the caller may run again on a fresh instance.
   */
  async run(records: PluginRecord[], calls: CallRequest[], veto: boolean | null): Promise<ReceivedResult[]> {
    const worker = records[0]!.worker!;
    // Per call: the watchdog counts it again from each call that starts (sandbox-worker.ts).
    const budget = Math.max(...records.map((record) => record.spec.limits.call_deadline_ms), ...calls.map((call) => call.deadlineMs ?? 0));
    let reply;
    try {
      reply = await worker.request({ type: 'call', calls, chain: veto === null ? null : { veto } }, budget);
    } catch (error) {
      if (!(error instanceof WorkerLost)) throw error;
      for (const record of records) this.forget(record);
      return resultsOfLostCalls(records, calls, error, lossReason(error, this.culprit(error)));
    }
    this.absorb(reply, records);
    return reply.results ?? [];
  }

  /** Turns a call's result into a HookResult for `hook`, applying what the plugin may change. */
  toHookResult(record: PluginRecord, hook: HookType, result: ReceivedResult): HookCallResult {
    return toHookResult(record, hook, result, this.audit);
  }

  /**
   * Dispatches a hook to several plugins in order, with the hook chain rules (continue_chain,
   * veto, task_write waterfall), in as few messages as there are runs of consecutive plugins on
   * one worker. Returns a result for each plugin that ran.
   */
  async dispatchHook(
    hook: HookType,
    event: JsonValue,
    plugins: readonly SandboxedPlugin[],
  ): Promise<Array<{ plugin: string } & HookCallResult>> {
    return dispatchHook(
      this,
      hook,
      event,
      plugins.map((plugin) => plugin.record),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.workers.close();
  }
}
