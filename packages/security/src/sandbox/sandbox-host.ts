// The sandbox as the manager uses it: load a plugin (folder + manifest + data folder), call its
// hooks, commands, init and deinit, read its usage, unload it. Plugins run in worker threads, each
// in its own QuickJS engine; see plugin-instance.ts for the engine and sandbox-worker.ts for the
// watchdog. A plugin that breaks a limit loses its instance and its next call starts a fresh one
// (load and init again); plugins that shared a worker killed by the watchdog are reloaded the same
// way, transparently.
import { mkdir, realpath } from 'node:fs/promises';
import type { HookResult, HookType, JsonValue, ResourceLimits } from '@marathon/plugin-api';
import { ChainAction, chainAction, describeResultValue, isEventData, isVetoHook } from '@marathon/plugin-api';
import type { Manifest } from '@marathon/manifest';
import { AuditTrail, type AuditEntry } from '../audit-trail';
import { SandboxError, type SandboxErrorCode } from '../errors';
import { deadlineMessage, lostCallMessage, workerLossReason } from './breach-message';
import { filterEvent, mayWrite, stripWrite } from './event-filter';
import { asHookResult } from './guest-value';
import { effectiveLimits, type CallLimits, type EffectiveLimits } from './limits';
import type { CallKind, CallRequest, LogEntry, PluginUsage, ReceivedResult, WorkerPluginSpec } from './protocol';
import type { CapabilityStubs } from '../capabilities/capability-stubs';
import { allowedCommandsOf, execPinsOf } from '../capabilities/exec-pins';
import { adoptPrewarmedWorker } from './prewarm';
import { engineModule, SandboxWorker, WorkerLost } from './sandbox-worker';

export interface SandboxPolicy {
  /** Raise or lower the defaults (docs/design.md, "The sandbox and ctx": 64 MiB, 10 s CPU, 10 connections, 20 files; 5 s per call). */
  limits?: Partial<ResourceLimits & CallLimits>;
  /** Let ctx.net.fetch reach loopback, link-local and private addresses. Default false (SSRF). */
  allowPrivateNetwork?: boolean;
  /**
   * Host names resolved to these addresses instead of through DNS, like curl's --resolve: a test
   * points a plugin's allowed host at a local server. Allowlist and private-address checks still apply.
   */
  resolve?: Readonly<Record<string, string>>;
}

export interface SandboxHostOptions {
  /** Worker threads to spread plugins over. Default 1. */
  workers?: number;
  policy?: SandboxPolicy;
  /** Where env_vars values come from. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Entries the in-memory audit trail keeps. Default 5000. */
  auditCapacity?: number;
  onAudit?: (entry: AuditEntry) => void;
  onLog?: (entry: LogEntry) => void;
  /**
   * Test doubles for ctx.net.fetch and ctx.exec (@marathon/plugin-testing): permissions and
   * allowlists are checked as always, then the stub answers instead of the network or a program.
   */
  stubs?: CapabilityStubs;
  /** A plugin broke a limit (its instance is gone) or lost its worker. */
  onBreach?: (event: { plugin: string; code: SandboxErrorCode; message: string }) => void;
}

export interface PluginSource {
  /** The plugin folder (its plugin.json and code). */
  dir: string;
  manifest: Manifest;
  /** The plugin's data folder for ctx.fs; created when missing. */
  dataDir: string;
  /** The file ctx.storage keeps its values in. */
  storageFile: string;
}

export interface HookCallResult {
  /** Always a HookResult: failures (throws, broken limits, bad values) are failed results saying why. */
  result: HookResult;
  /** Set when the call itself failed rather than the plugin returning a failed result. */
  error?: SandboxError;
  durationNs: number;
}

export type CommandResult = { ok: true; output?: string } | { ok: false; error: SandboxError };

interface PluginRecord {
  name: string;
  manifest: Manifest;
  spec: Omit<WorkerPluginSpec, 'key'>;
  key: number;
  worker: SandboxWorker | undefined;
  /** init ran on the current instance's predecessors: a reload runs it again. */
  initialized: boolean;
  /** The deadline init ran under, so that a reload's init gets the same one. */
  initDeadlineMs?: number;
  breaches: number;
  unloaded: boolean;
}

function sameNames(declared: readonly string[], implemented: readonly string[]): { missing: string[]; extra: string[] } {
  return {
    missing: declared.filter((name) => !implemented.includes(name)),
    extra: implemented.filter((name) => !declared.includes(name)),
  };
}

export class SandboxHost {
  readonly audit: AuditTrail;
  private readonly workers: Array<SandboxWorker | undefined>;
  /** Every loaded instance by its key, so that a stopped worker's culprit can be named and charged. */
  private readonly byKey = new Map<number, PluginRecord>();
  private nextKey = 1;
  private closed = false;

  constructor(private readonly options: SandboxHostOptions = {}) {
    this.audit = new AuditTrail(options.auditCapacity ?? 5000, options.onAudit);
    this.workers = new Array<SandboxWorker | undefined>(Math.max(1, options.workers ?? 1)).fill(undefined);
  }

  /** The limits a plugin with this manifest runs under. */
  limitsFor(manifest: Manifest): EffectiveLimits {
    return effectiveLimits(manifest.limits, this.options.policy?.limits);
  }

  /** Loads a plugin's code into a fresh instance and checks it implements what its manifest declares. Does not run init. */
  async load(source: PluginSource): Promise<SandboxedPlugin> {
    const { manifest } = source;
    await mkdir(source.dataDir, { recursive: true, mode: 0o700 });
    const env = this.options.env ?? process.env;
    const envAllowed = manifest.env_vars?.allowed ?? [];
    const record: PluginRecord = {
      name: manifest.name,
      manifest,
      key: 0,
      worker: undefined,
      initialized: false,
      breaches: 0,
      unloaded: false,
      spec: {
        name: manifest.name,
        version: manifest.version,
        dir: await realpath(source.dir),
        main: manifest.main,
        dataDir: await realpath(source.dataDir),
        storageFile: source.storageFile,
        permissions: [...manifest.permissions],
        allowedHosts: [...(manifest.network?.allowed_hosts ?? [])],
        envAllowed: [...envAllowed],
        env: Object.fromEntries(envAllowed.filter((name) => typeof env[name] === 'string').map((name) => [name, env[name]!])),
        allowedCommands: allowedCommandsOf(manifest),
        execPins: execPinsOf(manifest),
        limits: this.limitsFor(manifest),
        allowPrivateNetwork: this.options.policy?.allowPrivateNetwork === true,
        ...(this.options.policy?.resolve === undefined ? {} : { resolve: { ...this.options.policy.resolve } }),
        ...(this.options.stubs === undefined ? {} : { stubs: this.options.stubs }),
      },
    };
    await this.instantiate(record);
    return new SandboxedPlugin(this, record);
  }

  private pickWorker(): SandboxWorker {
    let best: SandboxWorker | undefined;
    for (let index = 0; index < this.workers.length; index++) {
      let worker = this.workers[index];
      if (worker === undefined || !worker.alive) {
        const onLost = (lostWorker: SandboxWorker, error: WorkerLost) => this.workerLost(lostWorker, error);
        worker = adoptPrewarmedWorker(index, onLost) ?? new SandboxWorker(index, engineModule(), onLost);
        worker.onAudit = (entry) => this.audit.record(entry);
        this.workers[index] = worker;
      }
      if (best === undefined || worker.keys.size < best.keys.size) best = worker;
    }
    return best!;
  }

  /**
   * A worker stopped. When the watchdog stopped it, the plugin that was running guest code then is
   * the one charged (whichever request it was serving); every other plugin in the worker only lost
   * its instance, and its next call loads a fresh one.
   */
  private workerLost(worker: SandboxWorker, error: WorkerLost): void {
    if (this.workers[worker.index] === worker) this.workers[worker.index] = undefined;
    const culprit = this.culprit(error);
    if (culprit !== undefined && culprit.worker === worker) {
      culprit.breaches += 1;
      this.options.onBreach?.({ plugin: culprit.name, code: 'DEADLINE_EXCEEDED', message: this.overranMessage(culprit) });
    }
    for (const key of worker.keys) {
      const record = this.byKey.get(key);
      if (record !== undefined) this.forget(record);
    }
  }

  /** The plugin the watchdog stopped a worker for, if it was running guest code at the time. */
  private culprit(error: WorkerLost): PluginRecord | undefined {
    return error.code === 'DEADLINE_EXCEEDED' && error.culpritKey !== 0 ? this.byKey.get(error.culpritKey) : undefined;
  }

  private overranMessage(record: PluginRecord): string {
    return deadlineMessage(record.name, record.spec.limits.call_deadline_ms, true);
  }

  /** Why a worker was lost, for the plugins that were not the cause. */
  private lossReason(error: WorkerLost): string {
    return workerLossReason({ culprit: this.culprit(error)?.name, stopped: error.code === 'DEADLINE_EXCEEDED', lostBecause: error.message });
  }

  /** Loads the record's code into a new instance in some worker. */
  private async instantiate(record: PluginRecord, retry = true): Promise<void> {
    if (this.closed) throw new SandboxError('DISPOSED', record.name, 'the sandbox is closed');
    const worker = this.pickWorker();
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
    const described = reply.described ?? { hooks: [], commands: [] };
    const hooks = sameNames(record.manifest.hooks.map((hook) => hook.name), described.hooks);
    const commands = sameNames(record.manifest.commands.map((command) => command.name), described.commands);
    const problems = [
      ...hooks.missing.map((name) => `plugin.json declares hook '${name}' but the code does not implement it`),
      ...hooks.extra.map((name) => `the code implements hook '${name}' that plugin.json does not declare`),
      ...commands.missing.map((name) => `plugin.json declares command '${name}' but the code does not implement it`),
      ...commands.extra.map((name) => `the code implements command '${name}' that plugin.json does not declare`),
    ];
    if (problems.length > 0) {
      this.byKey.delete(key);
      await worker.request({ type: 'unload', key }, 1000).catch(() => undefined);
      throw new SandboxError('MANIFEST_MISMATCH', record.name, `plugin '${record.name}' does not match its manifest: ${problems.join('; ')}`);
    }
    if (record.key !== 0) this.byKey.delete(record.key);
    record.key = key;
    record.worker = worker;
    worker.keys.add(key);
  }

  private lostError(record: PluginRecord, key: number, error: unknown): SandboxError {
    if (error instanceof WorkerLost) {
      this.forget(record);
      if (error.culpritKey === key) return new SandboxError('DEADLINE_EXCEEDED', record.name, this.overranMessage(record));
      return new SandboxError('WORKER_LOST', record.name, lostCallMessage(record.name, 'not_loaded', this.lossReason(error)));
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
  private absorb(reply: { audit: AuditEntry[]; logs: LogEntry[]; dropped: Array<{ key: number; code: SandboxErrorCode; message: string }> }, records: PluginRecord[] = []): void {
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
      const [result] = await this.run([record], [{ key: record.key, kind: 'init', name: 'init', payload: 'null', deadlineMs: record.initDeadlineMs }], null);
      if (result !== undefined && !result.ok) throw new SandboxError(result.code, record.name, result.message, result.stack);
    }
    return record.worker!;
  }

  /**
   * Runs calls for records that live in one worker, in one message. When the worker is lost, each
   * call is reported by what became of it: the culprit's as its overrun; a call that finished or
   * was cut off part-way as failed (it may have had effects, so it is not run again); a call that
   * never started as `notRun`, which the caller may run again on a fresh instance.
   */
  async run(records: PluginRecord[], calls: CallRequest[], veto: boolean | null): Promise<ReceivedResult[]> {
    const worker = records[0]!.worker!;
    const budget = calls.length * Math.max(...records.map((record) => record.spec.limits.call_deadline_ms), ...calls.map((call) => call.deadlineMs ?? 0));
    let reply;
    try {
      reply = await worker.request({ type: 'call', calls, chain: veto === null ? null : { veto } }, budget);
    } catch (error) {
      if (!(error instanceof WorkerLost)) throw error;
      for (const record of records) this.forget(record);
      const reason = this.lossReason(error);
      const results: ReceivedResult[] = [];
      for (let index = 0; index < calls.length; index++) {
        const record = records[index]!;
        const call = calls[index]!;
        if (call.key === error.culpritKey && index === error.started - 1) {
          results.push({ ok: false, code: 'DEADLINE_EXCEEDED', message: this.overranMessage(record), durationNs: 0 });
        } else if (index >= error.started) {
          results.push({ ok: false, code: 'WORKER_LOST', message: lostCallMessage(record.name, 'not_run', reason), durationNs: 0, notRun: true });
        } else {
          const fate = index < error.started - 1 ? 'result_lost' : 'interrupted';
          results.push({ ok: false, code: 'WORKER_LOST', message: lostCallMessage(record.name, fate, reason), durationNs: 0 });
        }
      }
      return results;
    }
    this.absorb(reply, records);
    return reply.results ?? [];
  }

  /** Turns a call's result into a HookResult for `hook`, applying what the plugin may change. */
  toHookResult(record: PluginRecord, hook: HookType, result: ReceivedResult): HookCallResult {
    if (!result.ok) {
      const error = new SandboxError(result.code, record.name, result.message, result.stack);
      return { result: { success: false, message: result.message, continue_chain: true }, error, durationNs: result.durationNs };
    }
    const value = result.value;
    const hookResult = asHookResult(value);
    if (hookResult === undefined) {
      const message = `plugin '${record.name}' returned ${describeResultValue(value)} instead of a HookResult`;
      return { result: { success: false, message, continue_chain: true }, error: new SandboxError('BAD_RESULT', record.name, message), durationNs: result.durationNs };
    }
    const writer = mayWrite(hook, record.spec.permissions);
    if (writer && hookResult.success && hookResult.result_data !== undefined && !isEventData(hookResult.result_data)) {
      const message = `plugin '${record.name}' returned result_data that is not an event object (${describeResultValue(hookResult.result_data)})`;
      return { result: { success: false, message, continue_chain: true }, error: new SandboxError('BAD_RESULT', record.name, message), durationNs: result.durationNs };
    }
    const { result: allowed, stripped } = stripWrite(hookResult, writer);
    if (stripped) this.audit.record({ time: Date.now(), plugin: record.name, capability: 'task.write', target: hook, allowed: false, reason: "no 'task_write' permission" });
    return { result: allowed, durationNs: result.durationNs };
  }

  /**
   * Dispatches a hook to several plugins in order, with the hook chain rules (continue_chain,
   * veto, task_write waterfall), in as few messages as there are runs of consecutive plugins on
   * one worker. Returns a result for each plugin that ran.
   */
  async dispatchHook(hook: HookType, event: JsonValue, plugins: readonly SandboxedPlugin[]): Promise<Array<{ plugin: string } & HookCallResult>> {
    const veto = isVetoHook(hook);
    const records = plugins.map((plugin) => plugin.record);
    for (const record of records) await this.ensureLoaded(record);
    const out: Array<{ plugin: string } & HookCallResult> = [];
    let data: JsonValue = event;
    let index = 0;
    while (index < records.length) {
      const worker = records[index]!.worker;
      let end = index;
      while (end < records.length && records[end]!.worker === worker) end++;
      const group = records.slice(index, end);
      // Plugins with the same permissions see the same event: serialise each view once.
      const views = new Map<string, string>();
      const calls = group.map((record) => {
        const view = record.spec.permissions.join(',');
        let payload = views.get(view);
        if (payload === undefined) {
          payload = JSON.stringify(filterEvent(hook, data, record.spec.permissions));
          views.set(view, payload);
        }
        return { key: record.key, kind: 'hook' as const, name: hook, payload, canWrite: mayWrite(hook, record.spec.permissions) };
      });
      // Within a group the worker applies the chain rules itself; between groups they are applied here.
      const results = await this.run(group, calls, veto);
      const firstNotRun = results.findIndex((result) => !result.ok && result.notRun === true);
      if (firstNotRun >= 0) {
        // Stopped by another plugin before their turn: they run on a fresh instance instead.
        results.length = firstNotRun;
        end = index + firstNotRun;
        for (const record of records.slice(end)) await this.ensureLoaded(record);
      }
      let stop = results.length < end - index;
      results.forEach((result, offset) => {
        const record = group[offset]!;
        const outcome = this.toHookResult(record, hook, result);
        out.push({ plugin: record.name, ...outcome });
        const success = outcome.error === undefined && outcome.result.success;
        if (success && calls[offset]!.canWrite && outcome.result.result_data !== undefined) data = outcome.result.result_data;
        if (chainAction(veto, success, outcome.result.continue_chain) !== ChainAction.Continue) stop = true;
      });
      if (stop) break;
      index = end;
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker?.terminate()));
    this.workers.fill(undefined);
  }
}

/** One loaded plugin. Its calls never throw for what the plugin does; they report it. */
export class SandboxedPlugin {
  constructor(
    private readonly host: SandboxHost,
    /** @internal */
    readonly record: PluginRecord,
  ) {}

  get name(): string {
    return this.record.name;
  }

  get manifest(): Manifest {
    return this.record.manifest;
  }

  get limits(): EffectiveLimits {
    return this.record.spec.limits;
  }

  private async call(kind: CallKind, name: string, payload: string, deadlineMs?: number): Promise<ReceivedResult> {
    await this.host.ensureLoaded(this.record);
    let [result] = await this.host.run([this.record], [{ key: this.record.key, kind, name, payload, deadlineMs }], null);
    if (result?.ok === false && result.notRun === true) {
      // Queued behind a call of this plugin that broke a limit: it never ran, so it runs once on
      // the fresh instance the host loads now, as it would have had it come a moment later.
      await this.host.ensureLoaded(this.record);
      [result] = await this.host.run([this.record], [{ key: this.record.key, kind, name, payload, deadlineMs }], null);
    }
    return result ?? { ok: false, code: 'WORKER_LOST', message: lostCallMessage(this.name, 'not_run'), durationNs: 0 };
  }

  /**
   * Runs the plugin's init (if it has one); throws SandboxError when it fails. `deadlineMs` gives
   * init a deadline of its own (a host's init timeout) instead of the plugin's call deadline.
   */
  async init(options: { deadlineMs?: number } = {}): Promise<void> {
    this.record.initDeadlineMs = options.deadlineMs;
    const result = await this.call('init', 'init', 'null', options.deadlineMs);
    if (!result.ok) throw new SandboxError(result.code, this.name, result.message, result.stack);
    this.record.initialized = true;
  }

  async deinit(): Promise<void> {
    const result = await this.call('deinit', 'deinit', 'null');
    this.record.initialized = false;
    if (!result.ok) throw new SandboxError(result.code, this.name, result.message, result.stack);
  }

  /** Calls a hook handler with the event as this plugin may see it. */
  async callHook(hook: HookType, event: JsonValue): Promise<HookCallResult> {
    const result = await this.call('hook', hook, JSON.stringify(filterEvent(hook, event, this.record.spec.permissions)));
    return this.host.toHookResult(this.record, hook, result);
  }

  /** Runs a command: its text output, or the error that failed it (a failed HookResult included). */
  async runCommand(name: string, args: readonly string[]): Promise<CommandResult> {
    const result = await this.call('command', name, JSON.stringify(args));
    if (!result.ok) return { ok: false, error: new SandboxError(result.code, this.name, result.message, result.stack) };
    const value = result.value;
    if (value === undefined || value === null) return { ok: true };
    if (typeof value === 'string') return { ok: true, output: value };
    const hookResult = asHookResult(value);
    if (hookResult === undefined) {
      return { ok: false, error: new SandboxError('BAD_RESULT', this.name, `plugin '${this.name}' command '${name}' returned ${describeResultValue(value)}; commands return a string, a HookResult or nothing`) };
    }
    if (!hookResult.success) return { ok: false, error: new SandboxError('HANDLER_FAILED', this.name, hookResult.message ?? `command '${name}' failed`) };
    return hookResult.message === undefined ? { ok: true } : { ok: true, output: hookResult.message };
  }

  /** Memory, CPU time and open resources of the current instance, and how many limits it broke. */
  async usage(): Promise<PluginUsage & { breaches: number }> {
    const worker = await this.host.ensureLoaded(this.record);
    const reply = await worker.request({ type: 'usage', key: this.record.key }, 1000);
    const usage = reply.usage ?? { memory_bytes: 0, cpu_time_ms: 0, open_files: 0, open_connections: 0, calls: 0 };
    return { ...usage, breaches: this.record.breaches };
  }

  async unload(): Promise<void> {
    const { record } = this;
    record.unloaded = true;
    const worker = record.worker;
    if (worker !== undefined && worker.alive) await worker.request({ type: 'unload', key: record.key }, 1000).catch(() => undefined);
    worker?.keys.delete(record.key);
    record.worker = undefined;
    this.host.released(record);
  }
}
