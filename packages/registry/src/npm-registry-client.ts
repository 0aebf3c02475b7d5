/// <reference path="./vendor-types.d.ts" />
// Marathon's client for any npm registry (npmjs, Verdaccio, Artifactory, GitHub Packages), built
// on pacote's registry fetcher and npm-registry-fetch — npm's own — so resolution, caching, scoped
// registries, auth and integrity checks behave as npm's. Only that one fetcher: pacote's others
// fetch git repositories, folders and files, and run their scripts as they do (a package whose
// name was a git URL made pacote `npm install` a clone). So every spec is proven a registry spec
// first (registry-spec.ts), every fetch goes by the name asked for, the downloaded package must be
// what was asked for (plugin-package.ts), credentials stay on their origin (credential-guard.ts),
// and errors are RegistryErrors that say what to do, with every credential redacted.
import { dirname } from 'node:path';
import { isApiCompatible } from '@marathon/manifest';
import { credentialGuard } from './credential-guard';
import { blockModules, deferModules } from './deferred-modules';
import { RegistryError } from './errors';
import type { NpmClient } from './install-source';
import { readNpmConfig, redact, registryFor, type NpmConfigInput, type NpmSettings } from './npm-config';
import { assertPackageBinding, type PackageMarathonField } from './plugin-package';
import { assertPackageName, isBareSpec, parseRegistrySpec, type RegistrySpec } from './registry-spec';
import { searchPlugins, type SearchRequest, type SearchResult } from './plugin-search';
import { readTarballIdentity } from './tarball-identity';

export type { SearchResult } from './plugin-search';

type RegistryFetcher = import('pacote/lib/registry.js');

// pacote, npm-registry-fetch and semver load on first use: every CLI start imports this package,
// and only the npm commands need them (pacote alone costs more than the rest of the package).
let fetcherClass: typeof import('pacote/lib/registry.js') | undefined;
const registryFetcher = (): typeof import('pacote/lib/registry.js') => {
  if (fetcherClass === undefined) {
    const pacoteDir = dirname(require.resolve('pacote/package.json'));
    blockModules(
      PACOTE_FORBIDDEN,
      pacoteDir,
      (name) =>
        new RegistryError(
          'SOURCE_UNSUPPORTED',
          `refused: pacote tried to use ${name}, and Marathon never fetches git repositories or folders, nor runs package scripts`,
        ),
    );
    deferModules(PACOTE_UNUSED, pacoteDir);
    fetcherClass = require('pacote/lib/registry.js') as typeof import('pacote/lib/registry.js');
  }
  return fetcherClass;
};
/** What pacote loads for features Marathon does not use (see deferred-modules.ts). */
const PACOTE_UNUSED = ['sigstore', 'npm-packlist'];
/** What clones repositories and runs scripts: never used, whatever pacote is asked. */
const PACOTE_FORBIDDEN = ['@npmcli/git', '@npmcli/run-script', '@npmcli/promise-spawn'];
const registryFetch = (): typeof import('npm-registry-fetch') => require('npm-registry-fetch') as typeof import('npm-registry-fetch');
const semver = (): typeof import('semver') => require('semver') as typeof import('semver');

export interface NpmRegistryClientOptions extends NpmConfigInput {
  /** pacote's cache folder (e.g. MARATHON_HOME/cache/npm). */
  cacheDir: string;
}

export interface ResolvedPackage {
  name: string;
  version: string;
  /** The tarball's SRI digest, as the registry publishes it. */
  integrity: string;
  tarball: string;
  marathon?: PackageMarathonField;
}

export interface PackageVersion {
  version: string;
  deprecated?: string;
  marathon?: PackageMarathonField;
}

function marathonField(value: unknown): PackageMarathonField | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = value as Partial<PackageMarathonField>;
  return typeof field.api_version === 'string' && Array.isArray(field.permissions)
    ? { api_version: field.api_version, permissions: field.permissions }
    : undefined;
}

const TIMEOUT_MS = 30_000;

/** scheme://host:port of a URL, without anything else (credentials are never part of it). */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export class NpmRegistryClient implements NpmClient {
  private readonly input: NpmRegistryClientOptions;
  private settingsRead: NpmSettings | undefined;
  private optionsBuilt: Record<string, unknown> | undefined;

  // Every command that opens a plugin manager builds a client: reading .npmrc files (which may
  // refuse, see readNpmConfig) and loading npm's HTTP stack wait for the first registry request.
  constructor(options: NpmRegistryClientOptions) {
    this.input = options;
  }

  /** The npm configuration that applies (read on first use). */
  get settings(): NpmSettings {
    this.settingsRead ??= readNpmConfig(this.input);
    return this.settingsRead;
  }

  /** pacote / npm-registry-fetch options: the allowed configuration, and Marathon's own. */
  private get options(): Record<string, unknown> {
    this.optionsBuilt ??= {
      ...this.settings.options,
      cache: this.input.cacheDir,
      // Fail in seconds, not minutes, when the registry is down: one quick retry.
      fetchRetries: 1,
      fetchRetryMintimeout: 200,
      fetchRetryMaxtimeout: 1000,
      timeout: TIMEOUT_MS,
      // One packument fetch per package per process: resolving and then fetching the tarball
      // would otherwise ask the registry twice.
      packumentCache: new Map(),
      // Nothing of a package runs while it is fetched (the registry fetcher runs nothing anyway).
      ignoreScripts: true,
      // Every request, redirects included, passes the credential check (credential-guard.ts).
      agent: credentialGuard(this.settings, { timeout: TIMEOUT_MS }),
    };
    return this.optionsBuilt;
  }

  /** The registry a package comes from. */
  registryOf(name: string): string {
    return registryFor(name, this.settings);
  }

  /** A text with every credential of this configuration (and any URL password) hidden. */
  redact(text: string): string {
    return redact(text, this.settings);
  }

  /** pacote's registry fetcher for `spec`, which parseRegistrySpec has already accepted. */
  private fetcher(spec: string, extra: Record<string, unknown> = {}): RegistryFetcher {
    const Fetcher = registryFetcher();
    return new Fetcher(spec, { ...this.options, ...extra });
  }

  /** Turns pacote's errors into RegistryErrors an operator can act on. */
  private failure(error: unknown, name: string, spec: string, tarball?: string): RegistryError {
    const say = (text: string) => this.redact(text);
    if (error instanceof RegistryError) return new RegistryError(error.code, say(error.message));
    const { code, message } = error as { code?: string; message?: string };
    const registry = this.registryOf(name);
    // An operator used to npm may expect the folder's .npmrc to be read: say that it was not.
    const skipped = this.settings.projectRcSkipped;
    const unread =
      skipped === undefined ? '' : ` (${skipped} was not read: Marathon reads a project .npmrc only with MARATHON_PROJECT_NPMRC=1)`;
    switch (code) {
      case 'E404':
        return new RegistryError(
          'PACKAGE_NOT_FOUND',
          say(`no package '${name}' in the registry ${registry}: check the name, or --registry${unread}`),
        );
      case 'ETARGET':
        return new RegistryError(
          'PACKAGE_NOT_FOUND',
          say(`no version of '${name}' in ${registry} matches '${spec}': see marathon plugin search ${name}`),
        );
      case 'EINTEGRITY':
        return new RegistryError(
          'DOWNLOAD_FAILED',
          say(`the tarball of '${spec}' does not match its integrity digest: nothing was installed (${message ?? ''})`),
        );
      case 'E401':
      case 'E403':
        return new RegistryError(
          'REGISTRY_UNAVAILABLE',
          say(`the registry ${registry} refused access to '${name}' (${code}): check the auth token for it in your .npmrc${unread}`),
        );
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'ETIMEDOUT':
      case 'ECONNRESET':
      case 'FETCH_ERROR': {
        // The tarball may live on another host than the registry's metadata: name the one that failed.
        const host = tarball === undefined ? undefined : originOf(tarball);
        if (host !== undefined && host !== originOf(registry)) {
          return new RegistryError(
            'DOWNLOAD_FAILED',
            say(`cannot reach ${host} (${code}), where the registry ${registry} says the tarball of '${spec}' is`),
          );
        }
        return new RegistryError(
          'REGISTRY_UNAVAILABLE',
          say(`cannot reach the registry ${registry} (${code}): is it running, and is --registry / MARATHON_REGISTRY right?${unread}`),
        );
      }
      default:
        if (typeof code === 'string' && /^E\d{3}$/.test(code)) {
          return new RegistryError('REGISTRY_UNAVAILABLE', say(`the registry ${registry} answered ${code.slice(1)} for '${spec}'`));
        }
        return new RegistryError('REGISTRY_UNAVAILABLE', say(`fetching '${spec}' from ${registry} failed: ${message ?? String(error)}`));
    }
  }

  /**
   * Resolves a spec (name, name@range, name@tag) to one published version. A bare name (or
   * name@latest) means the newest version this host can run: npm's `latest` may need a newer
   * plugin API, and the `marathon` field of each version says which. Anything but a registry spec
   * is refused (SOURCE_UNSUPPORTED) before any request is made.
   */
  async resolve(spec: string): Promise<ResolvedPackage> {
    return (await this.pick(parseRegistrySpec(spec))).resolved;
  }

  /** The registry's entry for a registry spec, checked to be the package and version asked for. */
  private async pick(wanted: RegistrySpec): Promise<{ fetcher: RegistryFetcher; resolved: ResolvedPackage }> {
    let spec = wanted.spec;
    if (isBareSpec(wanted)) {
      const runnable = (await this.versions(wanted.name)).find(
        (entry) =>
          entry.deprecated === undefined &&
          semver().prerelease(entry.version) === null &&
          entry.marathon !== undefined &&
          isApiCompatible(entry.marathon.api_version),
      );
      if (runnable !== undefined) spec = `${wanted.name}@${runnable.version}`;
    }
    let fetcher: RegistryFetcher;
    let manifest: import('pacote').Manifest;
    try {
      // Inside the try: a registry setting that is no URL fails as the fetcher is built.
      fetcher = this.fetcher(spec);
      manifest = await fetcher.manifest();
    } catch (error) {
      throw this.failure(error, wanted.name, spec);
    }
    return { fetcher, resolved: this.bound(wanted, manifest) };
  }

  /**
   * The registry's answer, refused unless it is for the package asked for, at a version the spec
   * allows, with a sha512 digest and an http(s) tarball: a registry naming another package (a git
   * URL, say) must not make Marathon fetch that one.
   */
  private bound(wanted: RegistrySpec, manifest: import('pacote').Manifest): ResolvedPackage {
    const asked = `'${wanted.name}@${wanted.fetchSpec}'`;
    const refuse = (problem: string) =>
      new RegistryError(
        'NOT_A_PLUGIN',
        this.redact(`the registry ${this.registryOf(wanted.name)} answered ${asked} with ${problem}; nothing was installed`),
      );
    if (manifest.name !== wanted.name)
      throw refuse(`the metadata of another package, ${JSON.stringify(String(manifest.name)).slice(0, 200)}`);
    // Kept as the registry wrote it: the tarball's package.json must say exactly this.
    const version = typeof manifest.version === 'string' && semver().valid(manifest.version) !== null ? manifest.version : undefined;
    if (version === undefined) throw refuse(`an invalid version ${JSON.stringify(String(manifest.version)).slice(0, 80)}`);
    if (wanted.type === 'version' && !semver().eq(version, wanted.fetchSpec)) throw refuse(`version ${version}`);
    if (wanted.type === 'range' && !semver().satisfies(version, wanted.fetchSpec, { includePrerelease: true, loose: true }))
      throw refuse(`version ${version}, outside the range`);
    if (typeof manifest._integrity !== 'string' || !/(^|\s)sha512-/.test(manifest._integrity))
      throw refuse(`no sha512 integrity digest for ${version} (only sha512 is trusted to check the download)`);
    let tarball: URL | undefined;
    try {
      tarball = new URL(String(manifest._resolved));
    } catch {
      tarball = undefined;
    }
    if (tarball === undefined || (tarball.protocol !== 'https:' && tarball.protocol !== 'http:'))
      throw refuse(`a tarball address that is not an http(s) URL`);
    const marathon = marathonField(manifest.marathon);
    return {
      name: wanted.name,
      version,
      integrity: manifest._integrity,
      tarball: tarball.href,
      ...(marathon === undefined ? {} : { marathon }),
    };
  }

  /**
   * Downloads the tarball of a registry spec, checking it against the registry's integrity digest
   * and that its package.json and plugin.json name the package and version asked for.
   */
  async fetchTarball(spec: string, file: string): Promise<{ name: string; version: string; integrity: string }> {
    const wanted = parseRegistrySpec(spec);
    const { fetcher, resolved } = await this.pick(wanted);
    const exact = `${wanted.name}@${resolved.version}`;
    let integrity: string;
    try {
      // The fetcher that resolved the version: its tarball is the one that entry names, checked
      // against that entry's digest.
      integrity = (await fetcher.tarballFile(file)).integrity;
    } catch (error) {
      throw this.failure(error, wanted.name, exact, resolved.tarball);
    }
    assertPackageBinding({ name: wanted.name, version: resolved.version }, await readTarballIdentity(file, exact));
    return { name: wanted.name, version: resolved.version, integrity };
  }

  /** Every published version of a package, newest first. */
  async versions(name: string): Promise<PackageVersion[]> {
    assertPackageName(name);
    let packument: import('pacote').Packument;
    try {
      // The full document: the abbreviated one leaves out each version's `marathon` field.
      packument = await this.fetcher(name, { fullMetadata: true }).packument();
    } catch (error) {
      throw this.failure(error, name, name);
    }
    if (typeof packument.name === 'string' && packument.name !== name) {
      throw new RegistryError(
        'NOT_A_PLUGIN',
        this.redact(
          `the registry ${this.registryOf(name)} answered for '${name}' with the versions ` +
            `of ${JSON.stringify(packument.name).slice(0, 200)}; nothing was changed`,
        ),
      );
    }
    // A version is listed under its own number, or not at all.
    return Object.entries(packument.versions ?? {})
      .filter(([key, entry]) => semver().valid(key) === key && entry?.version === key)
      .map(([version, entry]) => {
        const marathon = marathonField(entry.marathon);
        return {
          version,
          ...(typeof entry.deprecated === 'string' ? { deprecated: entry.deprecated } : {}),
          ...(marathon === undefined ? {} : { marathon }),
        };
      })
      .sort((a, b) => semver().rcompare(a.version, b.version));
  }

  /**
   * Up to `limit` Marathon plugins (packages with the marathon-plugin keyword) matching `text`,
   * through the registry's search API, however many other packages it holds (plugin-search.ts).
   */
  async search(text: string, limit = 50): Promise<SearchResult[]> {
    const request: SearchRequest = async (q, from, size) => {
      try {
        const answer = (await registryFetch().json(
          `/-/v1/search?text=${encodeURIComponent(q)}&size=${size}&from=${from}`,
          this.options,
        )) as { objects?: unknown };
        return Array.isArray(answer.objects) ? answer.objects : [];
      } catch (error) {
        throw this.failure(error, '', text);
      }
    };
    return searchPlugins(request, text, limit);
  }
}
