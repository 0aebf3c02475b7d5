// Installing, updating and uninstalling: stage the request into MARATHON_HOME/staging, run the
// trust gate on the staged copy, ask for consent, then — under the state lock — rename the staged
// folder into MARATHON_HOME/installed and commit the state. A crash at any instant leaves the old
// or the new state; a folder renamed in but never committed is removed by the next start's
// reconcile. What is inspected is exactly what is installed.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { apiIncompatibilityReason, didYouMean, type Manifest } from '@marathon/manifest';
import {
  discover,
  installFolderName,
  ownEntry,
  RegistryError,
  removeInHome,
  stageSource,
  type InstalledPlugin,
  type InstalledState,
  type MarathonHome,
  type NpmClient,
  type SearchPath,
  type StagedSource,
  type StateStore,
} from '@marathon/registry';
import {
  checkIntegrity,
  firstDifference,
  inspectPlugin,
  loadPolicy,
  loadTrustedKeys,
  recordIntegrity,
  TrustError,
  type ConsentSummary,
  type SecurityPolicy,
  type SignatureStatus,
} from '@marathon/security/trust';
import type { Permission } from '@marathon/plugin-api';
import { ask, needsConsent, permissionChanges, updateNeedsConsent, updateSummary } from './consent-rules';
import { dependencyCycle, dependencyProblems, dependentsOf, findDependencyCycle } from './dependency-graph';
import { ManagerError } from './errors';
import { gateSource } from './gate-source';
import { pluginProjectRefusal } from './plugin-project';
import { repairHint, repairRequest } from './repair-source';
import { consentToTrustChange, describeSource, locationOf, trustChange, type RecordedSource, type TrustChangeOptions } from './trust-change';
import type { Trash } from './trash';

export interface InstallOptions extends TrustChangeOptions {
  /** Accept the plugin's permissions (and dangerous combinations) without asking. */
  yes?: boolean;
  /** Asks the operator; resolve true to accept. Without it (and without yes), consent is refused. */
  confirm?: (summary: ConsentSummary) => Promise<boolean>;
  /** Install despite high-severity code-scanner findings. */
  force?: boolean;
  /** Expected SRI digest (sha512-…) of a tarball source. */
  integrity?: string;
  /** Install missing dependencies from the search paths (or npm) first. */
  withDependencies?: boolean;
  /**
   * Told what the trust gate warns about a plugin (unsigned, medium findings) once it is admitted
   * and before its consent is asked, so the operator reads them before answering. The result's
   * `warnings` carries them too.
   */
  onWarnings?: (plugin: string, warnings: readonly string[]) => void;
}

export interface InstallResult {
  name: string;
  version: string;
  signature: SignatureStatus;
  warnings: string[];
  /** Dependencies installed along with it. */
  dependencies: string[];
  /** The permissions granted. */
  permissions: Permission[];
  /** Each dependency installed along with it: what it was granted and how it is signed, for the operator to see. */
  dependency_details: InstalledDependency[];
}

export interface InstalledDependency {
  name: string;
  version: string;
  signature: SignatureStatus;
  permissions: Permission[];
  warnings: string[];
  /** The plugin that needed it. */
  needed_by: string;
}

/** A staged source, with the folder a search-path name was found in (recorded, so updates come from there only). */
type Staged = StagedSource & { location?: string };

export interface InstallerContext {
  home: MarathonHome;
  store: StateStore;
  paths: () => readonly SearchPath[];
  cwd: string;
  npm?: NpmClient;
  /** Plugin names the host keeps for itself (a CLI's own topics), refused at install. */
  reservedNames?: readonly string[];
}

/**
 * Findings name files in the staging copy, a folder the operator never sees and that is gone by
 * the time they read the message: name the source they asked for instead.
 */
function relabel(error: unknown, stagedDir: string, request: string): unknown {
  if (error instanceof Error && error.message.includes(stagedDir)) {
    error.message = `${request}: ${error.message.split(`${stagedDir}${sep}`).join('').split(stagedDir).join('.')}`;
  }
  return error;
}

/** What the state records of where a staged copy came from. */
function recordedSource(staged: Staged): RecordedSource {
  return {
    kind: staged.kind,
    spec: staged.spec,
    ...(staged.integrity === undefined ? {} : { integrity: staged.integrity }),
    ...(staged.location === undefined ? {} : { location: staged.location }),
  };
}

export class Installer {
  constructor(private readonly context: InstallerContext) {}

  /** Removes `path`, or keeps it in `trash` when one is given (a sync, which may roll back). */
  private async discard(path: string, trash: Trash | undefined): Promise<void> {
    if (trash !== undefined) await trash.keep(path);
    // Never through a link, never outside the home: the path is built from a state record.
    else await removeInHome(this.context.home.root, path);
  }

  private async stage(request: string, policy: SecurityPolicy, options: InstallOptions, at?: string): Promise<Staged> {
    try {
      return await this.stageRequest(request, policy, options, at);
    } catch (error) {
      if (error instanceof RegistryError && error.code === 'SOURCE_NOT_FOUND') throw new ManagerError('NOT_FOUND', error.message);
      if (error instanceof TrustError && error.code === 'ARCHIVE_REFUSED') throw new ManagerError('TRUST_REFUSED', `'${request}' was refused: ${error.message}`);
      throw error;
    }
  }

  /**
   * A name found in the search paths is resolved here, once, so that the folder it was found in is
   * known and recorded (`at`: the folder an update of a search-path install is pinned to).
   */
  private async stageRequest(request: string, policy: SecurityPolicy, options: InstallOptions, at?: string): Promise<Staged> {
    const paths = this.context.paths();
    const found = at ?? (await discover(paths)).plugins.find((plugin) => plugin.name === request)?.dir;
    if (found === undefined) return this.stageFrom(request, paths, policy, options);
    const staged = await this.stageFrom(found, paths, policy, options);
    return { ...staged, kind: 'search-path', spec: request, location: found };
  }

  private stageFrom(request: string, paths: readonly SearchPath[], policy: SecurityPolicy, options: InstallOptions): Promise<StagedSource> {
    return stageSource(request, {
      paths,
      stagingDir: this.context.home.stagingDir,
      cwd: this.context.cwd,
      maxBytes: policy.max_plugin_size,
      maxEntries: policy.max_archive_entries,
      ...(options.integrity === undefined ? {} : { integrity: options.integrity }),
      ...(this.context.npm === undefined ? {} : { npm: this.context.npm }),
    });
  }

  /**
   * Stages and inspects a request; refuses it with every finding when the gate says no. For an
   * update (`previous`), consent is asked again only when the new version wants more than the
   * operator granted — and then the summary shows what changed.
   */
  private async admit(
    request: string,
    options: InstallOptions,
    previous?: InstalledPlugin,
    at?: string,
  ): Promise<{ staged: Staged; manifest: Manifest; signature: SignatureStatus; warnings: string[] }> {
    const policy = await loadPolicy(this.context.home.root);
    const { keys, problems } = await loadTrustedKeys(this.context.home.keysDir);
    const staged = await this.stage(request, policy, options, at);
    try {
      const inspection = await inspectPlugin(staged.dir, { policy, trustedKeys: keys, source: gateSource(staged.kind), force: options.force === true });
      const { manifest, decision } = inspection;
      if (this.context.reservedNames?.includes(manifest.name) === true) {
        throw new ManagerError('NAME_RESERVED', `plugin '${manifest.name}' cannot be installed: '${manifest.name}' names one of this host's own commands; rename the plugin`);
      }
      if (!decision.allowed) {
        throw new ManagerError('TRUST_REFUSED', `plugin '${manifest.name}' was refused:`, [...decision.refusals, ...decision.warnings.map((warning) => `(warning) ${warning}`)]);
      }
      const incompatible = apiIncompatibilityReason(manifest.api_version, undefined, manifest.name);
      if (incompatible !== undefined) throw new ManagerError('API_INCOMPATIBLE', incompatible);
      const warnings = [...problems, ...decision.warnings];
      if (warnings.length > 0) options.onWarnings?.(manifest.name, warnings);
      if (previous === undefined) {
        if (needsConsent(manifest) || decision.needsConsent.length > 0) await ask(inspection.consent, options, manifest.name);
      } else {
        // Where it comes from and who vouches for it first: permissions granted to a copy from
        // somewhere else would be granted to someone else.
        await consentToTrustChange(manifest.name, trustChange(previous, { source: recordedSource(staged), signature: inspection.signature.status }), options);
        const changes = permissionChanges(previous.manifest, previous.granted_permissions, manifest);
        if (updateNeedsConsent(changes)) {
          await ask(updateSummary(inspection.consent, previous, manifest, changes), options, manifest.name, 'updated');
        }
      }
      return { staged, manifest, signature: inspection.signature.status, warnings };
    } catch (error) {
      await rm(staged.stagingRoot, { recursive: true, force: true });
      // The recorded spec: a URL without its credentials and query.
      throw relabel(error, staged.dir, staged.spec);
    }
  }

  /**
   * Installs missing dependencies of `manifest` from the same kind of source, when asked to. Each
   * is a whole install of its own — the same gate, and its own consent prompt (said to be needed
   * by `manifest`) — and what each was granted, and how it is signed, is returned for the
   * operator to see: a dependency is code they did not name. `chain` is the plugins being
   * installed that need `manifest`, outermost first: a dependency already in it is a cycle, refused.
   */
  private async pullDependencies(manifest: Manifest, kind: StagedSource['kind'], options: InstallOptions, chain: readonly string[]): Promise<InstalledDependency[]> {
    if (options.withDependencies !== true) return [];
    const needing = [...chain, manifest.name];
    const pulled: InstalledDependency[] = [];
    const confirm = options.confirm;
    const dependencyOptions: InstallOptions = {
      ...options,
      ...(confirm === undefined ? {} : { confirm: (summary: ConsentSummary) => confirm({ ...summary, lines: [`'${manifest.name}' needs '${summary.plugin}', which is not installed:`, ...summary.lines] }) }),
    };
    for (const [name, range] of Object.entries(manifest.dependencies)) {
      // Read again for each: an earlier dependency may have pulled this one in already.
      if (ownEntry((await this.context.store.read()).plugins, name) !== undefined) continue;
      const cycle = dependencyCycle(needing, name);
      if (cycle !== undefined) throw cycle;
      if (kind !== 'search-path' && kind !== 'npm') {
        throw new ManagerError('DEPENDENCY_MISSING', `plugin '${manifest.name}' needs '${name}' (${range}); dependencies can only be fetched for plugins from the search paths or npm: install '${name}' first`);
      }
      const result = await this.installNeeded(kind === 'npm' ? `npm:${name}@${range}` : name, dependencyOptions, needing);
      pulled.push(...result.dependency_details, { name: result.name, version: result.version, signature: result.signature, permissions: result.permissions, warnings: result.warnings, needed_by: manifest.name });
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
    const { staged, manifest, signature, warnings } = await this.admit(request, options);
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
          const way = current.status === 'error' ? `it is in error (${current.error ?? 'unknown'}); marathon plugin repair ${manifest.name} restores its files` : `use marathon plugin update ${manifest.name}, or uninstall it first`;
          throw new ManagerError('ALREADY_INSTALLED', `plugin '${manifest.name}' ${current.version} is already installed: ${way}`);
        }
        const problem = dependencyProblems(manifest.name, manifest.dependencies, state.plugins);
        if (problem !== undefined) throw problem;
        state.plugins[manifest.name] = {
          name: manifest.name,
          version: manifest.version,
          status: 'disabled',
          ...(await this.placeCopy(staged, folder)),
          signature,
          granted_permissions: [...manifest.permissions],
          manifest,
        };
      });
      const dependencies = pulled.map((dependency) => dependency.name);
      return { name: manifest.name, version: manifest.version, signature, warnings, dependencies, permissions: [...manifest.permissions], dependency_details: pulled };
    } finally {
      await rm(staged.stagingRoot, { recursive: true, force: true });
    }
  }

  /** Renames the staged copy into installed/ (inside the caller's state transaction) and says what the state records of it. */
  private async placeCopy(staged: Staged, folder: string): Promise<Pick<InstalledPlugin, 'source' | 'installed_at' | 'folder' | 'integrity'>> {
    const target = join(this.context.home.installedDir, folder);
    await mkdir(this.context.home.installedDir, { recursive: true, mode: 0o700 });
    await rename(staged.dir, target);
    return {
      source: recordedSource(staged),
      installed_at: new Date().toISOString(),
      folder,
      integrity: await recordIntegrity(target),
    };
  }

  /**
   * Swaps a staged copy in for an installed plugin's, under the state lock: `build` checks the
   * committed state and makes the new record, calling `place` to rename the copy in. The old copy
   * is removed once the state points at the new one.
   */
  private async swapIn(
    staged: Staged,
    name: string,
    version: string,
    build: (previous: InstalledPlugin, state: InstalledState, place: () => ReturnType<Installer['placeCopy']>) => Promise<InstalledPlugin>,
    trash?: Trash,
  ): Promise<{ record: InstalledPlugin; previous: InstalledPlugin }> {
    const folder = installFolderName(name, version, randomBytes(4).toString('hex'));
    const result = await this.context.store.transaction(async (state) => {
      const previous = ownEntry(state.plugins, name);
      if (previous === undefined) throw await this.notInstalled(name);
      const record = await build(previous, state, () => this.placeCopy(staged, folder));
      state.plugins[name] = record;
      return { record, previous };
    });
    await this.discard(join(this.context.home.installedDir, result.previous.folder), trash);
    return result;
  }

  /**
   * Installs a new version over an installed plugin, from `request` or its recorded source. The
   * status is kept; the old copy is removed once the state points at the new one (into `trash`,
   * during a sync).
   */
  async update(name: string, request: string | undefined, options: InstallOptions = {}, trash?: Trash): Promise<{ record: InstalledPlugin; previous: InstalledPlugin }> {
    const current = ownEntry((await this.context.store.read()).plugins, name);
    if (current === undefined) throw await this.notInstalled(name);
    // Its recorded source: a search-path install updates from the folder it was found in, not from
    // wherever the name is found first today.
    const recorded = request === undefined || (current.source.kind === 'search-path' && request === current.source.spec);
    const at = recorded && current.source.kind === 'search-path' ? locationOf(current.source) : undefined;
    const { staged, manifest, signature } = await this.admit(request ?? current.source.spec, options, current, at);
    try {
      if (manifest.name !== name) throw new ManagerError('NOT_FOUND', `the update source holds plugin '${manifest.name}', not '${name}'`);
      return await this.swapIn(staged, name, manifest.version, async (previous, state, place) => {
        const problem = dependencyProblems(name, manifest.dependencies, state.plugins);
        if (problem !== undefined) throw problem;
        return { ...previous, version: manifest.version, ...(await place()), signature, granted_permissions: [...manifest.permissions], manifest };
      }, trash);
    } finally {
      await rm(staged.stagingRoot, { recursive: true, force: true });
    }
  }

  /**
   * Puts back the files of an installed plugin as they were installed: its recorded source fetched
   * again (repair-source.ts), through the same trust gate, and taken only when every file matches
   * the digests recorded at install — a repair restores, it never updates. Status, granted
   * permissions, priorities and data are kept; a plugin in error comes back disabled (the manager
   * enables it again). Undefined when the installed copy is intact: nothing to do.
   */
  async repair(name: string, options: InstallOptions = {}): Promise<{ record: InstalledPlugin; previous: InstalledPlugin } | undefined> {
    const current = ownEntry((await this.context.store.read()).plugins, name);
    if (current === undefined) throw await this.notInstalled(name);
    const intact = await checkIntegrity(join(this.context.home.installedDir, current.folder), current.integrity, `plugin '${name}'`, repairHint(name));
    if (intact.ok) return undefined;
    const from = describeSource(current.source);
    const { request, at, integrity } = repairRequest(current.source);
    const admitted = await this.admit(request, { ...options, ...(integrity === undefined ? {} : { integrity }) }, current, at).catch((error: unknown) => {
      if (error instanceof ManagerError && error.code === 'NOT_FOUND') {
        throw new ManagerError('SOURCE_GONE', `plugin '${name}' cannot be repaired: it was installed from ${from}, which is gone (${error.message}); install it from where it is now with marathon plugin update ${name} <source> --allow-source-change (its settings and data are kept)`);
      }
      if (error instanceof RegistryError && error.code === 'DOWNLOAD_FAILED' && error.message.includes('does not match --integrity')) {
        throw new ManagerError('SOURCE_CHANGED', `plugin '${name}' cannot be repaired: ${from} no longer holds what was installed (${error.message})`);
      }
      throw error;
    });
    const { staged, signature } = admitted;
    try {
      const change = firstDifference(current.integrity, await recordIntegrity(staged.dir));
      if (change !== undefined) {
        throw new ManagerError(
          'SOURCE_CHANGED',
          `plugin '${name}' cannot be repaired from ${from}: it no longer holds the ${current.version} that was installed (${change.path} was ${change.change} there since); to install what it holds now, run marathon plugin update ${name} ${current.source.kind === 'npm' ? '' : request}`.trimEnd(),
        );
      }
      return await this.swapIn(staged, name, current.version, async (previous, _state, place) => {
        if (previous.folder !== current.folder) throw new ManagerError('SOURCE_CHANGED', `plugin '${name}' was changed by another marathon process during the repair: run marathon plugin repair ${name} again`);
        const record: InstalledPlugin = { ...previous, ...(await place()), signature };
        if (record.status === 'error') record.status = 'disabled';
        delete record.error;
        return record;
      });
    } finally {
      await rm(staged.stagingRoot, { recursive: true, force: true });
    }
  }

  /** Removes a plugin's state, then its folder and (unless kept) its data; into `trash` during a sync. */
  async uninstall(name: string, keepData: boolean, trash?: Trash): Promise<InstalledPlugin> {
    const removed = await this.context.store.transaction(async (state) => {
      const record = ownEntry(state.plugins, name);
      if (record === undefined) throw await this.notInstalled(name);
      const enabled = dependentsOf(name, state.plugins).filter((dependent) => ownEntry(state.plugins, dependent)?.status === 'enabled');
      if (enabled.length > 0) {
        throw new ManagerError('DEPENDENTS_ENABLED', `plugin '${name}' is needed by enabled plugin${enabled.length > 1 ? 's' : ''} ${enabled.map((d) => `'${d}'`).join(', ')}: disable ${enabled.length > 1 ? 'them' : 'it'} first`);
      }
      delete state.plugins[name];
      return record;
    });
    await this.discard(join(this.context.home.installedDir, removed.folder), trash);
    if (!keepData) {
      await this.discard(this.context.home.dataDir(name), trash);
      await this.discard(this.context.home.storageFile(name), trash);
    }
    return removed;
  }

  /** A NOT_INSTALLED error with a did-you-mean over the installed names. */
  async notInstalled(name: string): Promise<ManagerError> {
    const names = Object.keys((await this.context.store.read()).plugins);
    return new ManagerError('NOT_INSTALLED', `plugin '${name}' is not installed${didYouMean(name, names)}: see marathon plugin list`);
  }
}
