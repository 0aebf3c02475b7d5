// The plugin lifecycle for a host: install, enable, disable, uninstall, update, info, list,
// refresh, run, dispatch, reload, watch. Host developers embed it; the CLI is a thin shell over it.
// This class is the coordinator: each operation lives in a module of its own (lifecycle-transitions,
// plugin-calls, history-queries, plugin-repair, sync-transaction, dev-watch, integrity-refresh).
import { HookBus, type DispatchOutcome, type EventRecord } from '@marathon/events';
import type { HookEventMap, HookType } from '@marathon/plugin-api';
import {
  lockTimeoutFromEnv,
  marathonHome,
  ownEntry,
  searchPaths,
  secureHome,
  StateStore,
  type InstalledPlugin,
  type MarathonHome,
  type PluginStatus,
  type SearchPath,
} from '@marathon/registry';
import { DEFAULT_POLICY, loadPolicy, SandboxHost, type AuditEntry, type LogEntry, type SecurityPolicy } from '@marathon/security';
import { watchAndRebuild } from './dev-watch';
import { findUpdate, type AvailableUpdate } from './update-finder';
import { lockfileOf, type Lockfile } from './fleet-lock';
import type { SyncStep } from './fleet-sync';
import type { Trash } from './trash';
import { reconcileHome } from './home-reconciler';
import { HistoryStore } from './history-store';
import { auditTrail, eventHistory, followPluginLogs, pluginInfo, pluginLogs, type PluginInfo } from './history-queries';
import { performanceReport, type PerformanceReport } from './performance-report';
import { loadedPluginUsage } from './plugin-usage';
import type { InstallOptions, InstallResult } from './install-contract';
import { Installer } from './installer';
import { refreshPlugins, type RefreshResult } from './integrity-refresh';
import { disablePlugin, enablePlugin, setStatus } from './lifecycle-transitions';
import { ManagerEvents } from './manager-events';
import type { PluginManagerOptions } from './manager-options';
import type { ManagerParts } from './manager-parts';
import { notInstalled } from './not-installed';
import { dispatchHook, runCommand } from './plugin-calls';
import { repairPlugin, type RepairResult } from './plugin-repair';
import { PluginRuntime } from './plugin-runtime';
import { Quarantine, quarantineThresholds } from './quarantine';
import { hookPriorities, overridePriority, type HookPriority } from './priority-overrides';
import { applyLockOperator, changeSetting, operatorValues, pluginConfig, showSettings, type PluginSettings } from './plugin-settings';
import { forgetOperator } from './operator-entry';
import { followOperatorChanges } from './operator-follower';
import {
  authorityOf,
  changeAuthority,
  effectiveManifest,
  operatorAuthority,
  operatorSandboxOptions,
  type AuthorityChange,
  type AuthorityConsent,
  type HostDefaults,
  type PluginAuthority,
} from './plugin-authority';
import { syncToLock } from './sync-transaction';

export class PluginManager {
  readonly home: MarathonHome;
  readonly bus: HookBus;
  readonly events = new ManagerEvents();
  readonly store: StateStore;
  readonly history: HistoryStore;
  private readonly installer: Installer;
  private readonly runtime: PluginRuntime;
  private readonly quarantine: Quarantine;
  private readonly parts: ManagerParts;
  private sandboxHost: SandboxHost | undefined;
  private readonly stopFollowing: Array<() => void> = [];
  private policy: SecurityPolicy | undefined;

  private constructor(private readonly options: PluginManagerOptions) {
    this.events.on('loaded', ({ plugin, load_ms, init_ms }) => this.history.recordTiming(plugin, { load_ms, init_ms }));
    this.home = marathonHome(options.home, options.env);
    this.bus = options.bus ?? new HookBus({ handlerTimeoutMs: 60_000 });
    const lockTimeoutMs = options.lockTimeoutMs ?? lockTimeoutFromEnv(options.env ?? process.env);
    this.store = new StateStore(this.home, {
      ...(options.onWait === undefined ? {} : { onWait: options.onWait }),
      ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
    });
    this.history = new HistoryStore(this.home);
    this.installer = new Installer({
      home: this.home,
      store: this.store,
      paths: () => this.searchPaths(),
      cwd: options.cwd ?? process.cwd(),
      ...(options.npm === undefined ? {} : { npm: options.npm }),
      ...(options.reservedNames === undefined ? {} : { reservedNames: options.reservedNames }),
    });
    this.quarantine = new Quarantine({
      home: this.home,
      store: this.store,
      thresholds: () => quarantineThresholds((this.policy ?? DEFAULT_POLICY).quarantine, options.quarantine),
      now: options.quarantine?.now ?? Date.now,
      quarantined: async (plugin, reason) => {
        this.runtime.deactivate(plugin);
        await this.runtime.unload(plugin);
        this.events.emit('quarantined', { plugin, reason });
      },
    });
    this.events.on('enabled', ({ plugin }) => this.quarantine.forget(plugin));
    this.runtime = new PluginRuntime({
      home: this.home,
      bus: this.bus,
      sandbox: () => this.sandbox(),
      events: this.events,
      initTimeoutMs: options.initTimeoutMs ?? 10_000,
      // On its own bus, plugins' handlers get twice the host handlers' 60 s: the sandbox already
      // bounds each call (its deadline, the watchdog), and the first plugin of a run waits for the
      // run, whose deadlines may add up to half of this (hook-runs.ts): 12 plugins at 5 s.
      ...(options.bus === undefined ? { handlerTimeoutMs: 120_000 } : {}),
      record: async (name) => ownEntry((await this.store.read()).plugins, name),
      markFailed: (name, reason) => setStatus(this.store, name, 'error', reason),
      onFault: (name, error) => this.quarantine.note(name, error),
      operator: async (record) => {
        const state = await this.store.read();
        const authority = operatorAuthority(state, record.name);
        return {
          config: pluginConfig(record, operatorValues(state, record.name), this.env),
          manifest: effectiveManifest(record.manifest, authority),
          ...operatorSandboxOptions(authority),
        };
      },
    });
    this.history.sampleUsageWith(loadedPluginUsage(this.runtime, this.events));
    this.parts = {
      home: this.home,
      store: this.store,
      bus: this.bus,
      events: this.events,
      history: this.history,
      historyWriteMs: options.historyWriteMs ?? 1000,
      runtime: this.runtime,
      installer: this.installer,
    };
  }

  /** Opens MARATHON_HOME: removes what a crashed process left behind, and activates the enabled plugins (loading none). */
  static async open(options: PluginManagerOptions = {}): Promise<PluginManager> {
    const manager = new PluginManager(options);
    // Before anything in the home is read: it is private, and nobody else could have written in it.
    await secureHome(manager.home);
    manager.policy = await loadPolicy(manager.home.root);
    await reconcileHome(manager.home, manager.store);
    for (const record of Object.values((await manager.store.read()).plugins)) {
      if (record.status === 'enabled') manager.runtime.activate(record);
    }
    return manager;
  }

  searchPaths(): SearchPath[] {
    return searchPaths({
      home: this.home,
      builtIn: this.options.builtInPlugins ?? [],
      cwd: this.options.cwd ?? process.cwd(),
      env: this.options.env ?? process.env,
    });
  }

  private sandbox(): SandboxHost {
    this.sandboxHost ??= new SandboxHost({
      workers: this.options.workers ?? 1,
      policy: { limits: this.policy?.limits ?? {}, allowPrivateNetwork: this.policy?.allow_private_network === true },
      env: this.options.env ?? process.env,
      onAudit: (entry: AuditEntry) => this.history.recordAudit(entry),
      onLog: (entry: LogEntry) => {
        this.history.recordLog(entry);
        this.options.onLog?.(entry);
      },
    });
    return this.sandboxHost;
  }

  /** The installed record of `name`, or NOT_INSTALLED. */
  private async installed(name: string): Promise<InstalledPlugin> {
    const record = ownEntry((await this.store.read()).plugins, name);
    if (record === undefined) throw await notInstalled(this.store, name);
    return record;
  }

  /** Installs from a name in the search paths, a folder, a .tgz, a URL or an npm spec. Fresh installs are disabled. */
  async install(request: string, options: InstallOptions = {}): Promise<InstallResult> {
    const result = await this.installer.install(request, options);
    for (const name of [...result.dependencies, result.name]) {
      const record = ownEntry((await this.store.read()).plugins, name);
      if (record !== undefined) this.events.emit('installed', { plugin: name, version: record.version });
    }
    await this.dispatch('plugin_install', { plugin: { name: result.name, version: result.version } });
    return result;
  }

  /** Enables a plugin and, first, what it needs; checks that each loads. Returns the plugins enabled, dependencies first. */
  enable(name: string): Promise<string[]> {
    return enablePlugin(this.parts, name);
  }

  /** Disables a plugin; refuses while enabled plugins depend on it, unless `cascade` disables them too. */
  disable(name: string, options: { cascade?: boolean } = {}): Promise<string[]> {
    return disablePlugin(this.parts, name, options);
  }

  /** Each hook of a plugin with the priority it declares, the operator's override and the one it runs at. */
  async priorities(name: string): Promise<HookPriority[]> {
    return hookPriorities(await this.installed(name));
  }

  /**
   * Overrides the priority a plugin's hook runs at (undefined: back to what its plugin.json says).
   * An enabled plugin's handlers move at once; its files are not touched.
   */
  async setPriority(name: string, hook: string, priority: number | undefined): Promise<HookPriority[]> {
    const record = await overridePriority(this.store, name, hook, priority);
    if (record.status === 'enabled') this.runtime.activate(record);
    return hookPriorities(record);
  }

  /**
   * Uninstalls a plugin: deinit, plugin_uninstall, state, folder, and its data unless kept. The
   * operator's settings of it stay, for a reinstall, unless `purge`.
   */
  async uninstall(name: string, options: { keepData?: boolean; purge?: boolean } = {}): Promise<void> {
    await this.remove(name, options, undefined);
    if (options.purge === true) await this.store.transaction(async (state) => forgetOperator(state, name));
  }

  /** A plugin's declared settings (or only `key`) and the operator's values (a secret shown as its `${NAME}` reference). */
  settings(name: string, key?: string): Promise<PluginSettings> {
    return showSettings(this.settingsParts, name, key);
  }

  /**
   * Sets one of a plugin's declared settings, after checking it against the declaration and
   * firing config_validate (a failed result refuses it); a plugin loaded here is reloaded with it.
   */
  setSetting(name: string, key: string, value: unknown): Promise<PluginSettings> {
    return changeSetting(this.settingsParts, name, key, value);
  }

  /** Removes the operator's value of a setting: the plugin sees its default again. */
  unsetSetting(name: string, key: string): Promise<PluginSettings> {
    return changeSetting(this.settingsParts, name, key, undefined);
  }

  /** What a plugin may do: its author's declaration, the operator's changes and what it runs with. */
  async authority(name: string): Promise<PluginAuthority> {
    const state = await this.store.read();
    const record = ownEntry(state.plugins, name);
    if (record === undefined) throw await notInstalled(this.store, name);
    return authorityOf(record, operatorAuthority(state, name), this.hostDefaults());
  }

  /**
   * Narrows or widens what a plugin may do (plugin-authority.ts): widening needs `consent`, and
   * every change is recorded in the audit trail; a plugin loaded here is reloaded with it.
   */
  async changeAuthority(name: string, change: AuthorityChange, consent: AuthorityConsent = {}): Promise<PluginAuthority> {
    try {
      return await changeAuthority({ ...this.parts, defaults: () => this.hostDefaults() }, name, change, consent);
    } finally {
      await this.history.schedule(this.bus, this.parts.historyWriteMs);
    }
  }

  private hostDefaults(): HostDefaults {
    return { allowPrivateNetwork: this.policy?.allow_private_network === true, limits: this.policy?.limits ?? {} };
  }

  private get settingsParts() {
    return { ...this.parts, env: this.env };
  }

  /** Where `${NAME}` references of secret settings are resolved. */
  private get env(): Readonly<Record<string, string | undefined>> {
    return this.options.env ?? process.env;
  }

  /** Uninstalls; what it removes goes to `trash` when one is given (a sync's). */
  private async remove(name: string, options: { keepData?: boolean }, trash: Trash | undefined): Promise<void> {
    const record = await this.installed(name);
    this.runtime.deactivate(name);
    await this.runtime.unload(name);
    await this.installer.uninstall(name, options.keepData === true, trash);
    this.events.emit('uninstalled', { plugin: name });
    await this.dispatch('plugin_uninstall', { plugin: { name, version: record.version } });
  }

  /** The version `update(name)` would move to, and why there is none when there is none. */
  async availableUpdate(name: string): Promise<AvailableUpdate> {
    const { plugins } = await this.store.read();
    const record = ownEntry(plugins, name);
    if (record === undefined) throw await notInstalled(this.store, name);
    return findUpdate(record, plugins, { ...(this.options.npm === undefined ? {} : { npm: this.options.npm }), paths: this.searchPaths() });
  }

  /** Installs a new version from `request` or the recorded source; a loaded plugin is reloaded. */
  update(name: string, request?: string, options: InstallOptions = {}): Promise<InstalledPlugin> {
    return this.replace(name, request, options, undefined);
  }

  /** Updates; the old copy goes to `trash` when one is given (a sync's). */
  private async replace(
    name: string,
    request: string | undefined,
    options: InstallOptions,
    trash: Trash | undefined,
  ): Promise<InstalledPlugin> {
    const { record } = await this.installer.update(name, request, options, trash);
    if (record.status === 'enabled') await this.runtime.takeOver(record);
    return record;
  }

  /**
   * Puts back a plugin's files as installed, from its recorded source (plugin-repair.ts). Its
   * enabled state, settings and data are kept; a plugin that was in error is enabled again.
   */
  repair(name: string, options: InstallOptions = {}): Promise<RepairResult> {
    return repairPlugin({ ...this.parts, enable: (plugin) => this.enable(plugin) }, name, options);
  }

  /** This host's plugins as a lockfile (marathon-plugins.lock.json). */
  async exportLock(): Promise<Lockfile> {
    const state = await this.store.read();
    return lockfileOf(Object.values(state.plugins), (name) => ownEntry(state.operator ?? {}, name));
  }

  /** Makes this host match a lockfile exactly; on any failure, what this sync changed is put back (sync-transaction.ts). */
  sync(lock: Lockfile): Promise<SyncStep[]> {
    return syncToLock(this.parts, lock, (trash) => ({
      plugins: async () => (await this.store.read()).plugins,
      install: (request, options) => this.install(request, options),
      update: (name, request, options) => this.replace(name, request, options, trash),
      uninstall: (name) => this.remove(name, {}, trash),
      enable: (name) => this.enable(name),
      disable: (name) => this.disable(name, { cascade: true }),
      configure: (operator) => applyLockOperator(this.settingsParts, operator),
    }));
  }

  async list(filter: { status?: PluginStatus } = {}): Promise<InstalledPlugin[]> {
    const plugins = Object.values((await this.store.read()).plugins).sort((a, b) => (a.name < b.name ? -1 : 1));
    return filter.status === undefined ? plugins : plugins.filter((plugin) => plugin.status === filter.status);
  }

  info(name: string): Promise<PluginInfo> {
    return pluginInfo(this.parts, name);
  }

  /** Rediscovers the search paths and re-checks the integrity of every installed copy. */
  refresh(): Promise<RefreshResult> {
    return refreshPlugins(this.parts, this.searchPaths());
  }

  /** Runs a plugin's command, loading the plugin (and only it) if need be. */
  async run(name: string, command: string, args: readonly string[] = []): Promise<string | undefined> {
    try {
      return await runCommand(this.parts, name, command, args);
    } finally {
      // A plugin this call quarantined is in error before the caller (a CLI about to exit) goes on.
      await this.quarantine.settled();
    }
  }

  /** Fires a hook at the enabled plugins that declare it (loading them if need be). */
  async dispatch<K extends HookType>(hook: K, event: HookEventMap[K]): Promise<DispatchOutcome<HookEventMap[K]>> {
    try {
      return await dispatchHook(this.parts, hook, event);
    } finally {
      await this.quarantine.settled();
    }
  }

  /** Swaps a loaded plugin's instance for a fresh one; calls in flight finish on the old one. */
  async reload(name: string): Promise<void> {
    await this.installed(name);
    await this.runtime.reload(name);
  }

  /**
   * Development: reinstalls a plugin from its source folder whenever a file in it changes, and
   * reloads it. Returns a function that stops watching. Each reinstall is an update like any other:
   * a change that asks for more than was granted needs consent through `options` (confirm, or yes),
   * or it is refused and reported to `onChange` — the folder's author is not the operator.
   */
  watch(name: string, folder: string, onChange: (error?: Error) => void = () => undefined, options: InstallOptions = {}): () => void {
    const host = { runtime: this.runtime, update: this.update.bind(this), enable: this.enable.bind(this) };
    return watchAndRebuild(host, name, folder, onChange, options);
  }

  /** The persisted event history (all processes), newest last. */
  eventHistory(filter: { plugin?: string; hook?: HookType } = {}): Promise<EventRecord[]> {
    return eventHistory(this.parts, filter);
  }

  /** The persisted audit trail (all processes). */
  auditTrail(filter: { plugin?: string; allowed?: boolean } = {}): Promise<AuditEntry[]> {
    return auditTrail(this.parts, filter);
  }

  /** The lines plugins wrote with ctx.log (all processes), oldest first. */
  pluginLogs(filter: { plugin?: string } = {}): Promise<LogEntry[]> {
    return pluginLogs(this.parts, filter);
  }

  /** Calls `onEntry` with each line plugins write with ctx.log from now on, in any process; returns a function that stops. */
  followPluginLogs(filter: { plugin?: string }, onEntry: (entry: LogEntry) => void): () => void {
    return followPluginLogs(this.parts, filter, onEntry);
  }

  /** Every installed plugin's calls, latencies, rates, load times and engine usage, across all processes on this home, heaviest first. */
  performance(): Promise<PerformanceReport> {
    return performanceReport(this.parts);
  }

  /** How many sandboxes this manager has started (lazy loading, measured). */
  get sandboxesStarted(): number {
    return this.runtime.startedCount;
  }

  /**
   * For a host that keeps running: reloads its loaded plugins when another process (the CLI)
   * changes their settings or authority, and moves their handlers when it changes their hook
   * priorities (operator-follower.ts). Stops at close, or when the returned function is called.
   */
  async followOperatorChanges(onReload?: (plugin: string, error?: Error) => void): Promise<() => void> {
    const stop = await followOperatorChanges(this.parts, onReload);
    this.stopFollowing.push(stop);
    return stop;
  }

  async close(): Promise<void> {
    for (const stop of this.stopFollowing.splice(0)) stop();
    // Before the unload: the last write finds no plugin loaded to sample.
    await this.history.sampleUsage().catch(() => undefined);
    await this.quarantine.settled();
    await this.runtime.close();
    await this.history.flush(this.bus);
    await this.sandboxHost?.close();
    this.sandboxHost = undefined;
  }
}
