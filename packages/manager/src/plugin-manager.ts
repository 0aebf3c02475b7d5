// The plugin lifecycle for a host: install, enable, disable, uninstall, update, info, list,
// refresh, run, dispatch, reload, watch. Host developers embed it; the CLI is a thin shell over it.
import { watch as watchFolder } from 'node:fs';
import { join } from 'node:path';
import { HookBus, type DispatchOutcome, type EventRecord, type HookMetrics } from '@marathon/events';
import { didYouMean } from '@marathon/manifest';
import type { HookEventMap, HookType } from '@marathon/plugin-api';
import {
  discover,
  lockTimeoutFromEnv,
  marathonHome,
  ownEntry,
  searchPaths,
  secureHome,
  StateStore,
  type Discovery,
  type InstalledPlugin,
  type MarathonHome,
  type NpmClient,
  type PluginStatus,
  type SearchPath,
} from '@marathon/registry';
import { checkIntegrity, loadPolicy, SandboxHost, type AuditEntry, type LogEntry, type SecurityPolicy } from '@marathon/security';
import { dependentsOf, enableOrder } from './dependency-graph';
import { findUpdate, type AvailableUpdate } from './update-finder';
import { lockfileOf, type Lockfile } from './fleet-lock';
import { applySync, planSync, type SyncStep } from './fleet-sync';
import { rollBackInterruptedSyncs, SyncJournal, undoSync, type UndoReport } from './sync-journal';
import type { Trash } from './trash';
import { reconcileHome } from './home-reconciler';
import { ManagerError } from './errors';
import { HistoryStore } from './history-store';
import { Installer, type InstallOptions, type InstallResult } from './installer';
import { describeSource } from './trust-change';
import { ManagerEvents } from './manager-events';
import { PluginRuntime, type PluginTimings } from './plugin-runtime';
import { repairHint } from './repair-source';
import { applyPriorityOverride, hookPriorities, type HookPriority } from './priority-overrides';

export interface PluginManagerOptions {
  /** MARATHON_HOME; default $MARATHON_HOME or ~/.marathon. */
  home?: string;
  /** Folders of plugins that ship with the host (the CLI's examples), searched first. */
  builtInPlugins?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The host's hook bus; a new one by default. */
  bus?: HookBus;
  /** Sandbox worker threads. Default 1. */
  workers?: number;
  /** How long a plugin's init may take. Default 10 s. */
  initTimeoutMs?: number;
  npm?: NpmClient;
  /** Plugin names the host keeps for its own commands (refused at install). */
  reservedNames?: readonly string[];
  /** Told when another process holds MARATHON_HOME and this one waits. */
  onWait?: (message: string) => void;
  /** How long to wait for another process before failing with LOCK_TIMEOUT; default $MARATHON_LOCK_TIMEOUT_MS, else 60 s. */
  lockTimeoutMs?: number;
  /** Plugin log lines as they arrive (they are also kept in MARATHON_HOME/history). */
  onLog?: (entry: LogEntry) => void;
  /**
   * How long history, metrics, audit and logs may wait before they are written to
   * MARATHON_HOME/history: writes are batched, and close() writes what is left. 0 writes after
   * every dispatch and command. Default 1000 ms.
   */
  historyWriteMs?: number;
}

export interface PluginInfo {
  record: InstalledPlugin;
  loaded: boolean;
  timings?: PluginTimings;
  metrics: HookMetrics[];
}

export interface RepairResult {
  name: string;
  version: string;
  /** False when its files were as installed: nothing was fetched. */
  repaired: boolean;
  /** Its status afterwards. */
  status: PluginStatus;
  message: string;
}

export interface RefreshResult extends Discovery {
  /** Installed plugins whose files changed since install (now in the error state). */
  modified: Array<{ name: string; reason: string }>;
}

export class PluginManager {
  readonly home: MarathonHome;
  readonly bus: HookBus;
  readonly events = new ManagerEvents();
  readonly store: StateStore;
  readonly history: HistoryStore;
  private readonly historyWriteMs: number;
  private readonly installer: Installer;
  private readonly runtime: PluginRuntime;
  private sandboxHost: SandboxHost | undefined;
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
    this.historyWriteMs = options.historyWriteMs ?? 1000;
    this.installer = new Installer({
      home: this.home,
      store: this.store,
      paths: () => this.searchPaths(),
      cwd: options.cwd ?? process.cwd(),
      ...(options.npm === undefined ? {} : { npm: options.npm }),
      ...(options.reservedNames === undefined ? {} : { reservedNames: options.reservedNames }),
    });
    this.runtime = new PluginRuntime({
      home: this.home,
      bus: this.bus,
      sandbox: () => this.sandbox(),
      events: this.events,
      initTimeoutMs: options.initTimeoutMs ?? 10_000,
      record: async (name) => ownEntry((await this.store.read()).plugins, name),
      markFailed: (name, reason) => this.setStatus(name, 'error', reason),
    });
  }

  /** Opens MARATHON_HOME: removes what a crashed process left behind, and activates the enabled plugins (loading none). */
  static async open(options: PluginManagerOptions = {}): Promise<PluginManager> {
    const manager = new PluginManager(options);
    // Before anything in the home is read: it is private, and nobody else could have written in it.
    await secureHome(manager.home);
    manager.policy = await loadPolicy(manager.home.root);
    await manager.reconcile();
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

  private reconcile(): Promise<void> {
    return reconcileHome(this.home, this.store);
  }

  private async notInstalled(name: string): Promise<ManagerError> {
    return this.installer.notInstalled(name);
  }

  private async setStatus(name: string, status: PluginStatus, reason?: string): Promise<void> {
    await this.store.transaction(async (state) => {
      const record = ownEntry(state.plugins, name);
      if (record === undefined) return;
      record.status = status;
      if (reason === undefined) delete record.error;
      else record.error = reason;
    });
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

  /**
   * Enables a plugin and, first, what it needs; checks that each loads. Returns the plugins enabled, dependencies first.
   * The load checks start sandboxes, which is slow: they run before the state lock is taken, and the
   * commit under it re-checks that each record is the one checked (another process may have changed
   * it meanwhile; one that changed is checked again there, the rare case).
   */
  async enable(name: string): Promise<string[]> {
    const probed = new Map<string, ManagerError | undefined>();
    // The record as probed, but for its status: what the probe's outcome depends on.
    const probeKey = (record: InstalledPlugin) => JSON.stringify({ ...record, status: undefined, error: undefined });
    const probe = async (record: InstalledPlugin): Promise<ManagerError | undefined> => {
      // Load once (without init) so that a plugin that cannot run is caught now, not at its first event.
      try {
        const loaded = await this.runtime.start(record, false, { markFailed: false });
        await loaded.plugin.unload();
        return undefined;
      } catch (error) {
        if (!(error instanceof ManagerError)) throw error;
        return error;
      }
    };
    const unlocked = (await this.store.read()).plugins;
    let planned: string[] = [];
    try {
      if (ownEntry(unlocked, name) !== undefined) planned = enableOrder(name, unlocked);
    } catch (error) {
      // A missing dependency or a cycle is reported from under the lock, below, as before.
      if (!(error instanceof ManagerError)) throw error;
    }
    for (const plugin of planned) {
      const record = ownEntry(unlocked, plugin);
      if (record === undefined || record.status === 'enabled') continue;
      const failure = await probe(record);
      probed.set(probeKey(record), failure);
      if (failure !== undefined) break;
    }
    const { enabled, failure } = await this.store.transaction(async (state) => {
      if (ownEntry(state.plugins, name) === undefined) throw await this.notInstalled(name);
      const order = enableOrder(name, state.plugins);
      const changed: InstalledPlugin[] = [];
      for (const plugin of order) {
        const record = ownEntry(state.plugins, plugin)!;
        if (record.status === 'enabled') continue;
        const key = probeKey(record);
        const error = probed.has(key) ? probed.get(key) : await probe(record);
        if (error !== undefined) {
          // Commit what was enabled so far and the error state, then report the failure.
          record.status = 'error';
          record.error = error.message;
          return { enabled: changed, failure: error };
        }
        record.status = 'enabled';
        delete record.error;
        changed.push(record);
      }
      return { enabled: changed, failure: undefined };
    });
    for (const record of enabled) {
      this.runtime.activate(record);
      const dependencies = record.name === name ? enabled.filter((other) => other.name !== name).map((other) => other.name) : [];
      this.events.emit('enabled', { plugin: record.name, dependencies });
    }
    if (failure !== undefined) {
      this.events.emit('failed', { plugin: name, reason: failure.message });
      throw failure;
    }
    return enabled.map((record) => record.name);
  }

  /** Disables a plugin; refuses while enabled plugins depend on it, unless `cascade` disables them too. */
  async disable(name: string, options: { cascade?: boolean } = {}): Promise<string[]> {
    const disabled = await this.store.transaction(async (state) => {
      const record = ownEntry(state.plugins, name);
      if (record === undefined) throw await this.notInstalled(name);
      const dependents = dependentsOf(name, state.plugins).filter((dependent) => ownEntry(state.plugins, dependent)?.status === 'enabled');
      if (dependents.length > 0 && options.cascade !== true) {
        throw new ManagerError('DEPENDENTS_ENABLED', `plugin '${name}' is needed by enabled plugin${dependents.length > 1 ? 's' : ''} ${dependents.map((d) => `'${d}'`).join(', ')}: disable ${dependents.length > 1 ? 'them' : 'it'} first, or use --cascade`);
      }
      const order = [...dependents.reverse(), name];
      for (const plugin of order) ownEntry(state.plugins, plugin)!.status = 'disabled';
      return order;
    });
    for (const plugin of disabled) {
      this.runtime.deactivate(plugin);
      await this.runtime.unload(plugin);
      this.events.emit('disabled', { plugin });
    }
    return disabled;
  }

  /** Each hook of a plugin with the priority it declares, the operator's override and the one it runs at. */
  async priorities(name: string): Promise<HookPriority[]> {
    const record = ownEntry((await this.store.read()).plugins, name);
    if (record === undefined) throw await this.notInstalled(name);
    return hookPriorities(record);
  }

  /**
   * Overrides the priority a plugin's hook runs at (undefined: back to what its plugin.json says).
   * An enabled plugin's handlers move at once; its files are not touched.
   */
  async setPriority(name: string, hook: string, priority: number | undefined): Promise<HookPriority[]> {
    const record = await this.store.transaction(async (state) => {
      const current = ownEntry(state.plugins, name);
      if (current === undefined) throw await this.notInstalled(name);
      applyPriorityOverride(current, hook, priority);
      return current;
    });
    if (record.status === 'enabled') this.runtime.activate(record);
    return hookPriorities(record);
  }

  /** Uninstalls a plugin: deinit, plugin_uninstall, state, folder, and its data unless kept. */
  uninstall(name: string, options: { keepData?: boolean } = {}): Promise<void> {
    return this.remove(name, options, undefined);
  }

  /** Uninstalls; what it removes goes to `trash` when one is given (a sync's). */
  private async remove(name: string, options: { keepData?: boolean }, trash: Trash | undefined): Promise<void> {
    const record = ownEntry((await this.store.read()).plugins, name);
    if (record === undefined) throw await this.notInstalled(name);
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
    if (record === undefined) throw await this.notInstalled(name);
    return findUpdate(record, plugins, { ...(this.options.npm === undefined ? {} : { npm: this.options.npm }), paths: this.searchPaths() });
  }

  /** Installs a new version from `request` or the recorded source; a loaded plugin is reloaded. */
  update(name: string, request?: string, options: InstallOptions = {}): Promise<InstalledPlugin> {
    return this.replace(name, request, options, undefined);
  }

  /** Updates; the old copy goes to `trash` when one is given (a sync's). */
  private async replace(name: string, request: string | undefined, options: InstallOptions, trash: Trash | undefined): Promise<InstalledPlugin> {
    const { record } = await this.installer.update(name, request, options, trash);
    if (record.status === 'enabled') {
      this.runtime.activate(record);
      await this.runtime.reload(name);
    }
    return record;
  }

  /**
   * Puts back a plugin's files as installed, from its recorded source (Installer.repair). Its
   * enabled state, settings and data are kept; a plugin that was in error is enabled again (it is
   * in error because it failed to load, or refresh found its files changed).
   */
  async repair(name: string, options: InstallOptions = {}): Promise<RepairResult> {
    const repaired = await this.installer.repair(name, options);
    if (repaired === undefined) {
      const record = ownEntry((await this.store.read()).plugins, name)!;
      const error = record.status === 'error' ? `; it is in error for another reason (${record.error ?? 'unknown'}): marathon plugin enable ${name} tries it again` : '';
      return { name, version: record.version, repaired: false, status: record.status, message: `plugin '${name}' ${record.version} has its files as installed: nothing to repair${error}` };
    }
    const { record, previous } = repaired;
    if (record.status === 'enabled') {
      this.runtime.activate(record);
      await this.runtime.reload(name);
    } else if (previous.status === 'error') {
      await this.enable(name);
    }
    const status = ownEntry((await this.store.read()).plugins, name)?.status ?? record.status;
    return { name, version: record.version, repaired: true, status, message: `plugin '${name}' ${record.version} repaired from ${describeSource(record.source)}` };
  }

  /** This host's plugins as a lockfile (marathon-plugins.lock.json). */
  async exportLock(): Promise<Lockfile> {
    return lockfileOf(Object.values((await this.store.read()).plugins));
  }

  /**
   * Makes this host match a lockfile exactly. Idempotent (no steps: nothing touched). Holds the
   * state lock from planning to the end, so other processes wait (or give up with LOCK_TIMEOUT)
   * instead of changing plugins under it. On any failure, what this sync changed is put back —
   * only that, checked against the current state (sync-journal.ts) — and the error says so.
   */
  async sync(lock: Lockfile): Promise<SyncStep[]> {
    return this.store.exclusive(async (lease) => {
      // A dead sync's journal is rolled back before this one plans from the state.
      await rollBackInterruptedSyncs(this.home, this.store);
      const steps = planSync((await this.store.read()).plugins, lock);
      if (steps.length === 0) return steps;
      const journal = await SyncJournal.begin(this.home, lease);
      lease.beforeCommit = (previous, next) => journal.recordCommit(previous, next);
      try {
        await this.applyLock(lock, steps, journal.trash);
      } catch (error) {
        lease.beforeCommit = undefined;
        throw await this.rolledBack(journal, error, await lease.stillOurs());
      } finally {
        lease.beforeCommit = undefined;
      }
      if (!(await lease.stillOurs())) throw await this.rolledBack(journal, new Error('this process stalled and lost its lock on MARATHON_HOME'), false);
      await journal.finish();
      return steps;
    });
  }

  /** Applies a sync's steps; what they remove goes to the sync's `trash`, for a rollback. */
  private applyLock(lock: Lockfile, steps: readonly SyncStep[], trash: Trash): Promise<void> {
    return applySync(
      {
        plugins: async () => (await this.store.read()).plugins,
        install: (request, options) => this.install(request, options),
        update: (name, request, options) => this.replace(name, request, options, trash),
        uninstall: (name) => this.remove(name, {}, trash),
        enable: (name) => this.enable(name),
        disable: (name) => this.disable(name, { cascade: true }),
      },
      lock,
      steps,
    );
  }

  /**
   * Undoes a failed sync's own changes — under its lease while it still holds the lock, else
   * after taking the lock afresh (the process that took it over may have undone it already) —
   * and says what was put back and what someone else had changed meanwhile.
   */
  private async rolledBack(journal: SyncJournal, error: unknown, stillHeld: boolean): Promise<ManagerError> {
    const undo = async (): Promise<UndoReport | undefined> => {
      const report = await undoSync(this.home, this.store, journal.dir);
      await this.reconcile();
      return report;
    };
    const report = stillHeld ? await undo() : await this.store.outsideLease(() => this.store.exclusive(undo));
    const current = (await this.store.read()).plugins;
    for (const name of journal.touched) {
      this.runtime.deactivate(name);
      await this.runtime.unload(name).catch(() => undefined);
      const record = ownEntry(current, name);
      if (record?.status === 'enabled') this.runtime.activate(record);
    }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const details = error instanceof ManagerError ? [...error.details] : [];
    for (const name of report?.leftAlone ?? []) details.push(`'${name}' was changed by another process after this sync changed it: left as it is now`);
    const how = report === undefined ? 'another marathon process had already put this host back' : 'this host was put back as it was';
    return new ManagerError('SYNC_FAILED', `the sync failed and ${how}${report !== undefined && report.leftAlone.length > 0 ? ', except what another process changed since' : ''}: ${message}`, details);
  }

  async list(filter: { status?: PluginStatus } = {}): Promise<InstalledPlugin[]> {
    const plugins = Object.values((await this.store.read()).plugins).sort((a, b) => (a.name < b.name ? -1 : 1));
    return filter.status === undefined ? plugins : plugins.filter((plugin) => plugin.status === filter.status);
  }

  async info(name: string): Promise<PluginInfo> {
    const record = ownEntry((await this.store.read()).plugins, name);
    if (record === undefined) throw await this.notInstalled(name);
    await this.history.flush(this.bus);
    const saved = await this.history.metrics();
    const timings = this.runtime.timings(name) ?? ownEntry(await this.history.timings(), name);
    return {
      record,
      loaded: this.runtime.isLoaded(name),
      ...(timings === undefined ? {} : { timings }),
      metrics: Object.values(saved).filter((row) => row.plugin === name),
    };
  }

  /** Rediscovers the search paths and re-checks the integrity of every installed copy. */
  async refresh(): Promise<RefreshResult> {
    const discovery = await discover(this.searchPaths());
    const modified: RefreshResult['modified'] = [];
    for (const record of Object.values((await this.store.read()).plugins)) {
      const result = await checkIntegrity(join(this.home.installedDir, record.folder), record.integrity, `plugin '${record.name}'`, repairHint(record.name));
      if (!result.ok) {
        modified.push({ name: record.name, reason: result.message });
        await this.setStatus(record.name, 'error', result.message);
        this.runtime.deactivate(record.name);
      }
    }
    return { ...discovery, modified };
  }

  /** Runs a plugin's command, loading the plugin (and only it) if need be. */
  async run(name: string, command: string, args: readonly string[] = []): Promise<string | undefined> {
    const record = ownEntry((await this.store.read()).plugins, name);
    if (record === undefined) throw await this.notInstalled(name);
    if (record.status !== 'enabled') {
      throw new ManagerError('NOT_ENABLED', `plugin '${name}' is ${record.status === 'error' ? `in error (${record.error ?? 'unknown'})` : 'disabled'}: run marathon plugin enable ${name}`);
    }
    const commands = record.manifest.commands.map((declared) => declared.name);
    if (!commands.includes(command)) {
      throw new ManagerError('COMMAND_NOT_FOUND', `plugin '${name}' has no command '${command}'${didYouMean(command, commands)}; its commands: ${commands.join(', ') || 'none'}`);
    }
    try {
      return await this.runtime.runCommand(name, command, args);
    } finally {
      await this.history.schedule(this.bus, this.historyWriteMs);
    }
  }

  /** Fires a hook at the enabled plugins that declare it (loading them if need be). */
  async dispatch<K extends HookType>(hook: K, event: HookEventMap[K]): Promise<DispatchOutcome<HookEventMap[K]>> {
    // Load the handlers' plugins first, so that a hook's deadline and its latency metrics measure
    // the call, not the sandbox start-up. A plugin that fails to load fails again in its call,
    // where the failure is reported (and vetoes, on veto-capable hooks).
    await Promise.all(this.bus.handlers(hook).map((handler) => this.runtime.ensureLoaded(handler.owner).catch(() => undefined)));
    try {
      return await this.bus.dispatch(hook, event);
    } finally {
      await this.history.schedule(this.bus, this.historyWriteMs);
    }
  }

  /** Swaps a loaded plugin's instance for a fresh one; calls in flight finish on the old one. */
  async reload(name: string): Promise<void> {
    if (ownEntry((await this.store.read()).plugins, name) === undefined) throw await this.notInstalled(name);
    await this.runtime.reload(name);
  }

  /**
   * Development: reinstalls a plugin from its source folder whenever a file in it changes, and
   * reloads it. Returns a function that stops watching. Each reinstall is an update like any other:
   * a change that asks for more than was granted needs consent through `options` (confirm, or yes),
   * or it is refused and reported to `onChange` — the folder's author is not the operator.
   */
  watch(name: string, folder: string, onChange: (error?: Error) => void = () => undefined, options: InstallOptions = {}): () => void {
    let timer: NodeJS.Timeout | undefined;
    let running = Promise.resolve();
    const watcher = watchFolder(folder, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(() =>
          this.rebuild(name, folder, options).then(
            () => onChange(),
            (error: Error) => onChange(error),
          ),
        );
      }, 150);
    });
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  }

  /**
   * One change under watch: the update, then the new code loaded and initialised here and now, so
   * that a build that cannot run fails this call (and puts the plugin in error) instead of being
   * reported as reloaded; a plugin an earlier build left in error is enabled again by a good one.
   * Disabled stays disabled.
   */
  private async rebuild(name: string, folder: string, options: InstallOptions): Promise<void> {
    const record = await this.update(name, folder, options);
    if (record.status === 'error') {
      await this.enable(name);
      // The instance of the last good build may still be loaded: swapped for this one.
      if (this.runtime.isLoaded(name)) await this.runtime.reload(name);
    } else if (record.status !== 'enabled') return;
    // Loaded once, each later update reloads it (update swaps a loaded instance for a fresh one).
    await this.runtime.ensureLoaded(name);
  }

  /** The persisted event history (all processes), newest last. */
  async eventHistory(filter: { plugin?: string; hook?: HookType } = {}): Promise<EventRecord[]> {
    await this.history.flush(this.bus);
    return (await this.history.events.read()).filter(
      (record) => (filter.plugin === undefined || record.plugin_name === filter.plugin) && (filter.hook === undefined || record.hook_type === filter.hook),
    );
  }

  /** The persisted audit trail (all processes). */
  async auditTrail(filter: { plugin?: string; allowed?: boolean } = {}): Promise<AuditEntry[]> {
    await this.history.flush(this.bus);
    return (await this.history.audit.read()).filter(
      (entry) => (filter.plugin === undefined || entry.plugin === filter.plugin) && (filter.allowed === undefined || entry.allowed === filter.allowed),
    );
  }

  /** The lines plugins wrote with ctx.log (all processes), oldest first. */
  async pluginLogs(filter: { plugin?: string } = {}): Promise<LogEntry[]> {
    await this.history.flush(this.bus);
    return (await this.history.logs.read()).filter((entry) => filter.plugin === undefined || entry.plugin === filter.plugin);
  }

  /** Calls `onEntry` with each line plugins write with ctx.log from now on, in any process; returns a function that stops. */
  followPluginLogs(filter: { plugin?: string }, onEntry: (entry: LogEntry) => void): () => void {
    return this.history.logs.follow((entries) => {
      for (const entry of entries) if (filter.plugin === undefined || entry.plugin === filter.plugin) onEntry(entry);
    });
  }

  /** How many sandboxes this manager has started (lazy loading, measured). */
  get sandboxesStarted(): number {
    return this.runtime.startedCount;
  }

  async close(): Promise<void> {
    await this.runtime.close();
    await this.history.flush(this.bus);
    await this.sandboxHost?.close();
    this.sandboxHost = undefined;
  }
}
