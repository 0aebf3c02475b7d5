// A plugin under test: its folder loaded into the real sandbox (QuickJS in a worker thread, the
// same permission checks and limits as in production) with a fake host around it — a temporary
// data folder and store, the environment the test gives, recorded logs and capability calls, and
// network or exec answered by the test's stubs when it gives any.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Manifest } from '@marathon/manifest';
import type { HookEventMap, HookResult, HookType, JsonValue, PluginConfig, ResourceLimits } from '@marathon/plugin-api';
import {
  DEFAULT_POLICY,
  inspectPlugin,
  SandboxHost,
  type AuditEntry,
  type ExecStub,
  type FetchStub,
  type LogEntry,
  type SandboxedPlugin,
} from '@marathon/security';
import { PluginTestError } from './plugin-test-error';

export interface LoadPluginOptions {
  /**
   * The plugin's settings, as the operator sets them with `marathon plugin config`: the plugin reads
   * them as ctx.config (deep-frozen). Default `{}`. Given as they arrive, `${ENV}` references already
   * resolved; at most 64 KiB as JSON.
   */
  config?: PluginConfig;
  /** Values of the plugin's env_vars (only names its manifest allows are visible to it). Default none. */
  env?: Record<string, string>;
  /** Answers to ctx.net.fetch. When given, the network is never used: an unmatched call fails. */
  fetch?: FetchStub[];
  /** Answers to ctx.exec. When given, no program is run: an unmatched call fails. */
  exec?: ExecStub[];
  /** Host names resolved to these addresses (e.g. your allowed host → 127.0.0.1 for a local server). */
  resolve?: Record<string, string>;
  /** Let ctx.net.fetch reach loopback and private addresses (a local test server). Default false. */
  allowPrivateNetwork?: boolean;
  /** Policy limits to run under (default: the production defaults). */
  limits?: Partial<ResourceLimits> & { call_deadline_ms?: number };
  /** Run the plugin's init (default true). */
  init?: boolean;
  /**
   * Load despite high-severity code-scanner findings, as `marathon plugin install --force`
   * installs them (size, file-type and signature rules still apply). Default false.
   */
  force?: boolean;
}

/** A plugin loaded for a test. Call close() when done (it removes the temporary data). */
export class TestPlugin {
  private constructor(
    /** Log lines the plugin wrote with ctx.log, in order (init's included). */
    readonly logs: LogEntry[],
    private readonly host: SandboxHost,
    private readonly plugin: SandboxedPlugin,
    /** The validated plugin.json. */
    readonly manifest: Manifest,
    /** The plugin's data folder (ctx.fs), a temporary folder. */
    readonly dataDir: string,
    private readonly storageFile: string,
    private readonly root: string,
  ) {}

  /**
   * Loads the plugin folder (plugin.json + built code) and, unless told not to, runs its init.
   * First the folder goes through the checks `marathon plugin install` runs — the same trust gate
   * (manifest, policy: size and file types, code scanner, signature) under the default policy — so
   * a plugin whose tests pass is not refused at install: INSTALL_REFUSED lists what install would say.
   */
  static async load(folder: string, options: LoadPluginOptions = {}): Promise<TestPlugin> {
    const dir = resolve(folder);
    const { manifest, decision, apiIncompatible } = await inspectPlugin(dir, {
      policy: DEFAULT_POLICY,
      trustedKeys: new Map(),
      source: 'folder',
      force: options.force === true,
    });
    const refusals = [...decision.refusals, ...(apiIncompatible === undefined ? [] : [apiIncompatible])];
    if (refusals.length > 0)
      throw new PluginTestError('INSTALL_REFUSED', `${manifest.name} would be refused by marathon plugin install:`, refusals);
    const root = mkdtempSync(join(tmpdir(), `marathon-test-${manifest.name.replace(/[^a-z0-9-]/g, '-')}-`));
    const logs: LogEntry[] = [];
    const host = new SandboxHost({
      policy: {
        ...(options.limits === undefined ? {} : { limits: options.limits }),
        allowPrivateNetwork: options.allowPrivateNetwork === true,
        ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
      },
      env: { ...options.env },
      ...(options.fetch === undefined && options.exec === undefined
        ? {}
        : {
            stubs: {
              ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
              ...(options.exec === undefined ? {} : { exec: options.exec }),
            },
          }),
      onLog: (entry) => logs.push(entry),
    });
    const dataDir = join(root, 'data');
    const storageFile = join(root, 'storage.json');
    try {
      const plugin = await host.load({
        dir,
        manifest,
        dataDir,
        storageFile,
        ...(options.config === undefined ? {} : { config: options.config }),
      });
      const loaded = new TestPlugin(logs, host, plugin, manifest, dataDir, storageFile, root);
      if (options.init !== false) await plugin.init();
      return loaded;
    } catch (error) {
      await host.close();
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  /** Calls a hook the way the host does (the event filtered by the plugin's permissions); returns its HookResult. */
  async hook<K extends HookType>(hook: K, event: HookEventMap[K]): Promise<HookResult> {
    const { result } = await this.plugin.callHook(hook, event as unknown as JsonValue);
    return result;
  }

  /** Runs a command; returns what it printed. Throws PluginTestError when the command fails. */
  async command(name: string, args: readonly string[] = []): Promise<string | undefined> {
    const result = await this.plugin.runCommand(name, args);
    if (!result.ok)
      throw new PluginTestError('COMMAND_FAILED', `${this.manifest.name} ${name}: ${result.error.message}`, [], result.error.pluginStack);
    return result.output;
  }

  /** Capability calls the plugin made (files, network, environment, exec, storage), allowed and denied. */
  get audit(): AuditEntry[] {
    return this.host.audit.query({ plugin: this.manifest.name });
  }

  /** What the plugin keeps in ctx.storage. */
  async storage(): Promise<Record<string, JsonValue>> {
    try {
      return JSON.parse(await readFile(this.storageFile, 'utf8')) as Record<string, JsonValue>;
    } catch {
      return {};
    }
  }

  /** Runs deinit, stops the sandbox and removes the temporary data folder. */
  async close(): Promise<void> {
    try {
      await this.plugin.deinit().catch(() => undefined);
      await this.host.close();
    } finally {
      rmSync(this.root, { recursive: true, force: true });
    }
  }
}

/** Loads a plugin folder for a test; see TestPlugin. */
export function loadPlugin(folder: string, options?: LoadPluginOptions): Promise<TestPlugin> {
  return TestPlugin.load(folder, options);
}
