// Installing, updating and uninstalling: each copy comes in through the trust gate and consent
// (staged-admission.ts) and is committed under the state lock (copy-placement.ts); this file
// decides what is installed — dependencies first, checked against the graph — and what is removed.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '@marathon/manifest';
import { discover, installFolderName, ownEntry, type InstalledPlugin, type StagedSource } from '@marathon/registry';
import type { ConsentSummary } from '@marathon/security/trust';
import { dependencyCycle, dependencyProblems, dependentsEnabled, enabledDependents, findDependencyCycle } from './dependency-graph';
import { discard, placeCopy, swapIn } from './copy-placement';
import { ManagerError } from './errors';
import type { InstalledDependency, InstallerContext, InstallOptions, InstallResult } from './install-contract';
import { notInstalled } from './not-installed';
import { pluginProjectRefusal } from './plugin-project';
import { restoreFiles, type RestoredCopy } from './plugin-repair';
import { admit } from './staged-admission';
import { locationOf } from './trust-change';
import type { Trash } from './trash';

export class Installer {
  constructor(private readonly context: InstallerContext) {}

  /**
   * Installs missing dependencies of `manifest` from the same kind of source, when asked to. Each
   * is a whole install of its own — the same gate, and its own consent prompt (said to be needed
   * by `manifest`) — and what each was granted, and how it is signed, is returned for the
   * operator to see: a dependency is code they did not name. `chain` is the plugins being
   * installed that need `manifest`, outermost first: a dependency already in it is a cycle, refused.
   */
  private async pullDependencies(
    manifest: Manifest,
    kind: StagedSource['kind'],
    options: InstallOptions,
    chain: readonly string[],
  ): Promise<InstalledDependency[]> {
    if (options.withDependencies !== true) return [];
    const needing = [...chain, manifest.name];
    const pulled: InstalledDependency[] = [];
    const confirm = options.confirm;
    const dependencyOptions: InstallOptions = {
      ...options,
      ...(confirm === undefined
        ? {}
        : {
            confirm: (summary: ConsentSummary) =>
              confirm({ ...summary, lines: [`'${manifest.name}' needs '${summary.plugin}', which is not installed:`, ...summary.lines] }),
          }),
    };
    for (const [name, range] of Object.entries(manifest.dependencies)) {
      // Read again for each: an earlier dependency may have pulled this one in already.
      if (ownEntry((await this.context.store.read()).plugins, name) !== undefined) continue;
      const cycle = dependencyCycle(needing, name);
      if (cycle !== undefined) throw cycle;
      if (kind !== 'search-path' && kind !== 'npm') {
        throw new ManagerError(
          'DEPENDENCY_MISSING',
          `plugin '${manifest.name}' needs '${name}' (${range}); dependencies can only ` +
            `be fetched for plugins from the search paths or npm: install '${name}' first`,
        );
      }
      const result = await this.installNeeded(kind === 'npm' ? `npm:${name}@${range}` : name, dependencyOptions, needing);
      pulled.push(...result.dependency_details, {
        name: result.name,
        version: result.version,
        signature: result.signature,
        permissions: result.permissions,
        warnings: result.warnings,
        needed_by: manifest.name,
      });
    }
    return pulled;
  }

  async install(request: string, options: InstallOptions = {}): Promise<InstallResult> {
    const project = await pluginProjectRefusal(request, this.context.cwd);
    if (project !== undefined) throw project;
    if (options.withDependencies === true) {
      // A cycle among the search paths' plugins is refused before anything is staged or asked.
      const installed = (await this.context.store.read()).plugins;
      const found = new Map((await discover(this.context.paths())).plugins.map((plugin) => [plugin.name, plugin] as const));
      if (found.has(request)) {
        const cycle = findDependencyCycle(request, (name) =>
          ownEntry(installed, name) === undefined ? Object.keys(found.get(name)?.manifest.dependencies ?? {}) : undefined,
        );
        if (cycle !== undefined) throw cycle;
      }
    }
    return this.installNeeded(request, options, []);
  }

  /** Installs `request`, needed by the plugins of `chain` (outermost first; empty for the operator's own request). */
  private async installNeeded(request: string, options: InstallOptions, chain: readonly string[]): Promise<InstallResult> {
    const { staged, manifest, signature, warnings } = await admit(this.context, request, options);
    try {
      // Whatever the request was called, the plugin staged may be one the chain is installing.
      const cycle = dependencyCycle(chain, manifest.name);
      if (cycle !== undefined) throw cycle;
      const pulled = await this.pullDependencies(manifest, staged.kind, options, chain);
      const folder = installFolderName(manifest.name, manifest.version, randomBytes(4).toString('hex'));
      await this.context.store.transaction(async (state) => {
        const current = ownEntry(state.plugins, manifest.name);
        if (current !== undefined) {
          // A plugin in error (its files changed, say) is mended in place, its settings kept.
          const way =
            current.status === 'error'
              ? `it is in error (${current.error ?? 'unknown'}); marathon plugin repair ${manifest.name} restores its files`
              : `use marathon plugin update ${manifest.name}, or uninstall it first`;
          throw new ManagerError('ALREADY_INSTALLED', `plugin '${manifest.name}' ${current.version} is already installed: ${way}`);
        }
        const problem = dependencyProblems(manifest.name, manifest.dependencies, state.plugins);
        if (problem !== undefined) throw problem;
        state.plugins[manifest.name] = {
          name: manifest.name,
          version: manifest.version,
          status: 'disabled',
          ...(await placeCopy(this.context, staged, folder)),
          signature,
          granted_permissions: [...manifest.permissions],
          manifest,
        };
      });
      const dependencies = pulled.map((dependency) => dependency.name);
      return {
        name: manifest.name,
        version: manifest.version,
        signature,
        warnings,
        dependencies,
        permissions: [...manifest.permissions],
        dependency_details: pulled,
      };
    } finally {
      await rm(staged.stagingRoot, { recursive: true, force: true });
    }
  }

  /**
   * Installs a new version over an installed plugin, from `request` or its recorded source. The
   * status is kept; the old copy is removed once the state points at the new one (into `trash`,
   * during a sync).
   */
  async update(
    name: string,
    request: string | undefined,
    options: InstallOptions = {},
    trash?: Trash,
  ): Promise<{ record: InstalledPlugin; previous: InstalledPlugin }> {
    const current = ownEntry((await this.context.store.read()).plugins, name);
    if (current === undefined) throw await notInstalled(this.context.store, name);
    // Its recorded source: a search-path install updates from the folder it was found in, not from
    // wherever the name is found first today.
    const recorded = request === undefined || (current.source.kind === 'search-path' && request === current.source.spec);
    const at = recorded && current.source.kind === 'search-path' ? locationOf(current.source) : undefined;
    const { staged, manifest, signature } = await admit(this.context, request ?? current.source.spec, options, current, at);
    try {
      if (manifest.name !== name) throw new ManagerError('NOT_FOUND', `the update source holds plugin '${manifest.name}', not '${name}'`);
      return await swapIn(
        this.context,
        staged,
        name,
        manifest.version,
        async (previous, state, place) => {
          const problem = dependencyProblems(name, manifest.dependencies, state.plugins);
          if (problem !== undefined) throw problem;
          return {
            ...previous,
            version: manifest.version,
            ...(await place()),
            signature,
            granted_permissions: [...manifest.permissions],
            manifest,
          };
        },
        trash,
      );
    } finally {
      await rm(staged.stagingRoot, { recursive: true, force: true });
    }
  }

  /** Puts back an installed plugin's files from its recorded source (plugin-repair.ts); undefined when they are intact. */
  repair(name: string, options: InstallOptions = {}): Promise<RestoredCopy | undefined> {
    return restoreFiles(this.context, name, options);
  }

  /** Removes a plugin's state, then its folder and (unless kept) its data; into `trash` during a sync. */
  async uninstall(name: string, keepData: boolean, trash?: Trash): Promise<InstalledPlugin> {
    const removed = await this.context.store.transaction(async (state) => {
      const record = ownEntry(state.plugins, name);
      if (record === undefined) throw await notInstalled(this.context.store, name);
      const enabled = enabledDependents(name, state.plugins);
      if (enabled.length > 0) throw dependentsEnabled(name, enabled, '');
      delete state.plugins[name];
      return record;
    });
    await discard(this.context, join(this.context.home.installedDir, removed.folder), trash);
    if (!keepData) {
      await discard(this.context, this.context.home.dataDir(name), trash);
      await discard(this.context, this.context.home.storageFile(name), trash);
    }
    return removed;
  }
}
