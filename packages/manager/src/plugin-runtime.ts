// The running side of the manager: plugins load lazily — nothing at start; a hook fired loads the
// enabled plugins that declare it, a command loads only its plugin (VS Code's activation events).
// A load checks the installed copy's integrity, starts the plugin's sandbox (which checks the code
// implements exactly what the manifest declares) and runs init under a timeout. Reload swaps in a
// new instance while calls in flight finish on the old one.
import { join } from 'node:path';
import { MEASURED_DURATION_MS, type HookBus, type MeasuredResult, type Registration } from '@marathon/events';
import type { HookResult, HookType, JsonValue } from '@marathon/plugin-api';
import type { SettingValue } from '@marathon/manifest';
import type { InstalledPlugin, MarathonHome } from '@marathon/registry';
import {
  checkIntegrity,
  mayWrite,
  SandboxError,
  type HookCallResult,
  type OperatorLimits,
  type SandboxedPlugin,
  type SandboxHost,
} from '@marathon/security';
import { HookRuns, type RunSource } from './hook-runs';
import { ManagerError } from './errors';
import { signatureAtLoad } from './load-signature';
import { repairHint } from './repair-source';
import type { ManagerEvents } from './manager-events';
import { effectivePriority } from './priority-overrides';

interface LoadedPlugin {
  plugin: SandboxedPlugin;
  folder: string;
  inFlight: number;
  /** Set when a reload replaced this instance: unload once the last call in flight ends. */
  retired: boolean;
  loadMs: number;
  initMs: number;
}

export interface PluginTimings {
  load_ms: number;
  init_ms: number;
}

export interface RuntimeOptions {
  home: MarathonHome;
  bus: HookBus;
  sandbox: () => SandboxHost;
  events: ManagerEvents;
  initTimeoutMs: number;
  /** Milliseconds the bus gives each plugin's handler; undefined: the bus's own handlerTimeoutMs. */
  handlerTimeoutMs?: number;
  /** The installed record of a plugin, as currently committed. */
  record: (name: string) => Promise<InstalledPlugin | undefined>;
  /** Marks a plugin as failed in the state (integrity, load or init failure). */
  markFailed: (name: string, reason: string) => Promise<void>;
  /**
   * What the operator decided for a plugin, as its load takes it: ctx.config (plugin-settings.ts),
   * and the manifest, limits and private-network switch its authority gives it (plugin-authority.ts).
   */
  operator: (record: InstalledPlugin) => Promise<OperatorLoad>;
  /** A hook call or command failed rather than returning (quarantine.ts decides whether it was the plugin's fault). */
  onFault?: (name: string, error: SandboxError) => void;
}

export interface OperatorLoad {
  config: Record<string, SettingValue>;
  manifest: InstalledPlugin['manifest'];
  limits?: OperatorLimits;
  allowPrivateNetwork?: boolean;
}

function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

export class PluginRuntime {
  private readonly loaded = new Map<string, LoadedPlugin>();
  private readonly loading = new Map<string, Promise<LoadedPlugin>>();
  private readonly registrations = new Map<string, Registration[]>();
  private readonly runs = new HookRuns();
  /** How many sandboxes were started: lazy loading is checked by counting them. */
  startedCount = 0;

  constructor(private readonly options: RuntimeOptions) {}

  isLoaded(name: string): boolean {
    return this.loaded.has(name);
  }

  timings(name: string): PluginTimings | undefined {
    const loaded = this.loaded.get(name);
    return loaded === undefined ? undefined : { load_ms: loaded.loadMs, init_ms: loaded.initMs };
  }

  /** Registers the hook handlers of an enabled plugin on the bus. Loads nothing. */
  activate(record: InstalledPlugin): void {
    this.deactivate(record.name);
    const registrations = record.manifest.hooks.map((declaration) =>
      this.options.bus.register(declaration.name, (data) => this.callHook(record.name, declaration.name, data as unknown as JsonValue), {
        owner: record.name,
        priority: effectivePriority(record, declaration.name),
        canWrite: mayWrite(declaration.name, record.granted_permissions),
        ...(this.options.handlerTimeoutMs === undefined ? {} : { timeoutMs: this.options.handlerTimeoutMs }),
      }),
    );
    this.registrations.set(record.name, registrations);
  }

  /** Removes a plugin's handlers from the bus. */
  deactivate(name: string): void {
    this.runs.forget(name);
    for (const registration of this.registrations.get(name) ?? []) registration.unregister();
    this.registrations.delete(name);
  }

  /**
   * A plugin's handler on the bus. An answer its plugin gave ahead of its turn (in an earlier
   * plugin's run) is returned as it is, not in a promise: the bus goes on to the next handler
   * synchronously instead of waiting a turn of the microtask queue per plugin.
   */
  private callHook(name: string, hook: HookType, data: JsonValue): HookResult | Promise<HookResult> {
    const ahead = this.runs.take(hook, name, data);
    return ahead === undefined ? this.callNow(name, hook, data) : this.answer(name, hook, ahead);
  }

  private async callNow(name: string, hook: HookType, data: JsonValue): Promise<HookResult> {
    const loaded = this.loaded.get(name) ?? (await this.loadForTurn(name, hook));
    const source = this.runSource(hook, name);
    const run = this.runs.pick(loaded, hook, source);
    for (const member of run) member.inFlight += 1;
    try {
      if (run.length === 1) return this.answer(name, hook, await loaded.plugin.callHook(hook, data));
      const answers = await this.options.sandbox().dispatchHook(
        hook,
        data,
        run.map((member) => member.plugin),
      );
      this.runs.keep(hook, data, run, answers, source);
      const own = answers[0];
      return own === undefined ? this.answer(name, hook, await loaded.plugin.callHook(hook, data)) : this.answer(name, hook, own);
    } finally {
      for (const member of run) this.settle(member, member.plugin.name);
    }
  }

  private runSource(hook: HookType, first: string): RunSource<LoadedPlugin> {
    const registration = (name: string) => this.registrations.get(name)?.find((candidate) => candidate.hook === hook);
    return {
      budgetMs: (registration(first)?.timeoutMs ?? 0) / 2,
      owners: this.options.bus.owners(hook),
      loaded: (name) => this.loaded.get(name),
      canWrite: (name) => registration(name)?.canWrite,
    };
  }

  /** What the bus gets for a plugin's call: its HookResult, carrying the time the plugin's code took. */
  private answer(name: string, hook: HookType, called: HookCallResult): HookResult {
    // The bus keeps only the HookResult; the error behind a failed call (with the plugin's own
    // stack, which the CLI prints under DEBUG) goes to whoever listens, and is kept nowhere.
    if (called.error !== undefined) {
      this.options.events.emit('hook_failed', { plugin: name, hook, error: called.error });
      this.options.onFault?.(name, called.error);
    }
    const result = called.result as MeasuredResult;
    if (Object.isExtensible(result)) result[MEASURED_DURATION_MS] = called.durationNs / 1e6;
    return result;
  }

  /**
   * Starts the loads of every plugin on `hook` that is not loaded yet, together, so that they
   * overlap (integrity checks on this thread, engines in the worker) instead of running one after
   * the other as the bus reaches each handler. Resolves when all have settled; a plugin whose load
   * failed is loaded again at its turn, which reports the failure (or succeeds, when it was another
   * plugin's overrun that took the worker). Returns undefined when every plugin on the hook is
   * loaded: the steady state allocates nothing.
   */
  loadHook(hook: HookType): Promise<void> | undefined {
    let pending: Array<Promise<unknown>> | undefined;
    for (const owner of this.options.bus.owners(hook)) {
      if (this.loaded.has(owner) || !this.registrations.has(owner)) continue;
      (pending ??= []).push(this.ensureLoaded(owner).catch(() => undefined));
    }
    return pending === undefined ? undefined : Promise.all(pending).then(() => undefined);
  }

  /** A plugin's instance for its turn on `hook`, loaded now together with the hook's others. */
  private loadForTurn(name: string, hook: HookType): Promise<LoadedPlugin> {
    void this.loadHook(hook);
    return this.ensureLoaded(name);
  }

  /** Runs a command of a plugin, loading it first if need be. */
  async runCommand(name: string, command: string, args: readonly string[]): Promise<string | undefined> {
    const loaded = await this.ensureLoaded(name);
    loaded.inFlight += 1;
    try {
      const result = await loaded.plugin.runCommand(command, args);
      if (!result.ok) {
        this.options.onFault?.(name, result.error);
        const failure = new ManagerError('COMMAND_FAILED', result.error.message);
        failure.cause = result.error; // its pluginStack: where in the plugin's code it threw
        throw failure;
      }
      return result.output;
    } finally {
      this.settle(loaded, name);
    }
  }

  private settle(loaded: LoadedPlugin, name: string): void {
    loaded.inFlight -= 1;
    if (loaded.retired && loaded.inFlight === 0) void this.retire(loaded, name);
  }

  private async retire(loaded: LoadedPlugin, name: string): Promise<void> {
    await loaded.plugin.deinit().catch(() => undefined);
    await loaded.plugin.unload();
    void name;
  }

  /** The plugin's running instance, loaded now if it is not. Concurrent callers share one load. */
  ensureLoaded(name: string): Promise<LoadedPlugin> {
    const current = this.loaded.get(name);
    if (current !== undefined) return Promise.resolve(current);
    let pending = this.loading.get(name);
    if (pending === undefined) {
      pending = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async load(name: string): Promise<LoadedPlugin> {
    const record = await this.options.record(name);
    if (record === undefined) throw new ManagerError('NOT_INSTALLED', `plugin '${name}' is not installed`);
    if (record.status !== 'enabled')
      throw new ManagerError('NOT_ENABLED', `plugin '${name}' is not enabled: run marathon plugin enable ${name}`);
    const loaded = await this.start(record, true);
    this.loaded.set(name, loaded);
    this.options.events.emit('loaded', { plugin: name, load_ms: loaded.loadMs, init_ms: loaded.initMs });
    return loaded;
  }

  /**
   * Verifies, loads and (optionally) inits an instance of the installed copy. A failure puts the
   * plugin in the error state, unless the caller records it itself (`markFailed: false`, inside a
   * state transaction, where another one would wait for the lock it holds).
   */
  async start(record: InstalledPlugin, init: boolean, options: { markFailed?: boolean } = {}): Promise<LoadedPlugin> {
    const { name } = record;
    const folder = join(this.options.home.installedDir, record.folder);
    const fail = async (code: ManagerError['code'], reason: string, cause?: SandboxError): Promise<never> => {
      // WORKER_LOST: the worker was stopped because of another plugin (or crashed) while this one
      // was loading; nothing is wrong with this plugin, so its next call loads it again rather than
      // finding it in the error state for good.
      if (options.markFailed !== false && cause?.code !== 'WORKER_LOST') await this.options.markFailed(name, reason);
      this.options.events.emit('failed', { plugin: name, reason });
      const failure = new ManagerError(code, reason);
      if (cause !== undefined) failure.cause = cause;
      throw failure;
    };
    const started = performance.now();
    const integrity = await checkIntegrity(folder, record.integrity, `plugin '${name}'`, repairHint(name));
    if (!integrity.ok) return fail('INTEGRITY_FAILED', integrity.message);
    // Trust is decided now, not only at install: a key removed since (or a policy tightened since)
    // applies to plugins already installed.
    const refusal = await signatureAtLoad(this.options.home, record, folder);
    if (refusal !== undefined) return fail('TRUST_REFUSED', refusal);
    let plugin: SandboxedPlugin;
    try {
      const operator = await this.options.operator(record);
      plugin = await this.options.sandbox().load({
        dir: folder,
        dataDir: this.options.home.dataDir(name),
        storageFile: this.options.home.storageFile(name),
        ...operator,
      });
    } catch (error) {
      if (error instanceof SandboxError) return fail('LOAD_FAILED', error.message, error);
      throw error;
    }
    this.startedCount += 1;
    const loadMs = elapsedMs(started);
    const initStarted = performance.now();
    if (init) {
      try {
        // init's deadline is the init timeout, not the (shorter) call deadline hooks and commands run under.
        await plugin.init({ deadlineMs: this.options.initTimeoutMs });
      } catch (error) {
        await plugin.unload();
        if (error instanceof SandboxError) return fail('INIT_FAILED', `plugin '${name}' failed to initialise: ${error.message}`, error);
        throw error;
      }
    }
    return { plugin, folder, inFlight: 0, retired: false, loadMs, initMs: init ? elapsedMs(initStarted) : 0 };
  }

  /** Unloads a plugin (after deinit), if it is loaded. */
  async unload(name: string): Promise<void> {
    const loaded = this.loaded.get(name);
    if (loaded === undefined) return;
    this.loaded.delete(name);
    if (loaded.inFlight > 0) {
      loaded.retired = true;
      return;
    }
    await this.retire(loaded, name);
  }

  /** An enabled plugin's new installed copy takes over: its handlers re-registered, a loaded instance reloaded. */
  async takeOver(record: InstalledPlugin): Promise<void> {
    this.activate(record);
    await this.reload(record.name);
  }

  /**
   * Replaces a loaded plugin's instance with a new one of its installed copy: calls in flight finish
   * on the old instance, new calls go to the new one. A plugin not loaded stays unloaded.
   */
  async reload(name: string): Promise<void> {
    const old = this.loaded.get(name);
    if (old === undefined) return;
    const record = await this.options.record(name);
    if (record === undefined) throw new ManagerError('NOT_INSTALLED', `plugin '${name}' is not installed`);
    const fresh = await this.start(record, true);
    this.loaded.set(name, fresh);
    old.retired = true;
    if (old.inFlight === 0) await this.retire(old, name);
    this.options.events.emit('reloaded', { plugin: name });
  }

  async close(): Promise<void> {
    for (const name of [...this.loaded.keys()]) await this.unload(name).catch(() => undefined);
    for (const name of [...this.registrations.keys()]) this.deactivate(name);
  }
}
