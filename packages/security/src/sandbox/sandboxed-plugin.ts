// A loaded plugin as the manager holds it: its hooks, commands, init and deinit, its usage, and
// unloading it. Every call goes through the host, which loads a fresh instance first when the last
// one broke a limit or lost its worker (running init again if it had run).
import type { HookType, JsonValue } from '@marathon/plugin-api';
import { describeResultValue } from '@marathon/plugin-api';
import type { Manifest } from '@marathon/manifest';
import { SandboxError } from '../errors';
import { lostCallMessage } from './breach-message';
import { filterEvent } from './event-filter';
import { asHookResult } from './guest-value';
import type { EffectiveLimits } from './limits';
import type { PluginRecord } from './plugin-record';
import type { CallKind, PluginUsage, ReceivedResult } from './protocol';
import type { SandboxHost } from './sandbox-host';
import type { CommandResult, HookCallResult } from './sandbox-options';

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
      return {
        ok: false,
        error: new SandboxError(
          'BAD_RESULT',
          this.name,
          `plugin '${this.name}' command '${name}' returned ${describeResultValue(value)}; commands return a string, a HookResult or nothing`,
        ),
      };
    }
    if (!hookResult.success)
      return { ok: false, error: new SandboxError('HANDLER_FAILED', this.name, hookResult.message ?? `command '${name}' failed`) };
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
