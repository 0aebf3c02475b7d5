/// <reference path="./vendor-types.d.ts" />
// Marathon's client for any npm registry (npmjs, Verdaccio, Artifactory, GitHub Packages), built
// on pacote and npm-registry-fetch — npm's own fetcher — so resolution, caching, scoped registries,
// auth and integrity checks behave exactly as npm's. Errors are RegistryErrors that say what to do,
// with every token redacted.
import { dirname } from 'node:path';
import { isApiCompatible } from '@marathon/manifest';
import { deferModules } from './deferred-modules';
import { RegistryError } from './errors';
import type { NpmClient } from './install-source';
import { readNpmConfig, redact, registryFor, type NpmConfigInput, type NpmSettings } from './npm-config';
import { PLUGIN_KEYWORD, type PackageMarathonField } from './plugin-package';

// pacote, npm-registry-fetch and semver load on first use: every CLI start imports this package,
// and only the npm commands need them (pacote alone costs more than the rest of the package).
let pacoteModule: typeof import('pacote') | undefined;
const pacote = (): typeof import('pacote') => {
  if (pacoteModule === undefined) {
    deferModules(PACOTE_UNUSED, dirname(require.resolve('pacote/package.json')));
    pacoteModule = require('pacote') as typeof import('pacote');
  }
  return pacoteModule;
};
/** What pacote loads for features Marathon does not use (see deferred-modules.ts). */
const PACOTE_UNUSED = ['sigstore', '@npmcli/git', 'npm-packlist', '@npmcli/run-script'];
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

export interface SearchResult {
  name: string;
  version: string;
  description: string;
  keywords: string[];
}

function marathonField(value: unknown): PackageMarathonField | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = value as Partial<PackageMarathonField>;
  return typeof field.api_version === 'string' && Array.isArray(field.permissions) ? { api_version: field.api_version, permissions: field.permissions } : undefined;
}

export class NpmRegistryClient implements NpmClient {
  readonly settings: NpmSettings;
  private readonly options: Record<string, unknown>;

  constructor(options: NpmRegistryClientOptions) {
    this.settings = readNpmConfig(options);
    this.options = {
      ...this.settings.options,
      cache: options.cacheDir,
      // Fail in seconds, not minutes, when the registry is down: one quick retry.
      fetchRetries: 1,
      fetchRetryMintimeout: 200,
      fetchRetryMaxtimeout: 1000,
      timeout: 30_000,
      // One packument fetch per package per process: resolving and then fetching the tarball
      // would otherwise ask the registry twice.
      packumentCache: new Map(),
    };
  }

  /** The registry a package comes from. */
  registryOf(name: string): string {
    return registryFor(name, this.settings);
  }

  /** Turns pacote's errors into RegistryErrors an operator can act on. */
  private failure(error: unknown, spec: string): RegistryError {
    const { code, message } = error as { code?: string; message?: string };
    const name = spec.replace(/(?<=.)@[^@]*$/, '');
    const registry = this.registryOf(name);
    const say = (text: string) => redact(text, this.settings);
    switch (code) {
      case 'E404':
        return new RegistryError('PACKAGE_NOT_FOUND', say(`no package '${name}' in the registry ${registry}: check the name, or --registry`));
      case 'ETARGET':
        return new RegistryError('PACKAGE_NOT_FOUND', say(`no version of '${name}' in ${registry} matches '${spec}': see marathon plugin search ${name}`));
      case 'EINTEGRITY':
        return new RegistryError('DOWNLOAD_FAILED', say(`the tarball of '${spec}' does not match its integrity digest: nothing was installed (${message ?? ''})`));
      case 'E401':
      case 'E403':
        return new RegistryError('REGISTRY_UNAVAILABLE', say(`the registry ${registry} refused access to '${name}' (${code}): check the auth token for it in your .npmrc`));
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'ETIMEDOUT':
      case 'ECONNRESET':
      case 'FETCH_ERROR':
        return new RegistryError('REGISTRY_UNAVAILABLE', say(`cannot reach the registry ${registry} (${code}): is it running, and is --registry / MARATHON_REGISTRY right?`));
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
   * plugin API, and the `marathon` field of each version says which.
   */
  async resolve(spec: string): Promise<ResolvedPackage> {
    const bare = /^((?:@[^/@]+\/)?[^@]+)(?:@latest)?$/.exec(spec);
    if (bare !== null) {
      const runnable = (await this.versions(bare[1]!)).find(
        (entry) => entry.deprecated === undefined && semver().prerelease(entry.version) === null && entry.marathon !== undefined && isApiCompatible(entry.marathon.api_version),
      );
      if (runnable !== undefined) spec = `${bare[1]}@${runnable.version}`;
    }
    try {
      const manifest = await pacote().manifest(spec, this.options);
      const marathon = marathonField(manifest.marathon);
      return {
        name: manifest.name,
        version: manifest.version,
        integrity: manifest._integrity,
        tarball: manifest._resolved,
        ...(marathon === undefined ? {} : { marathon }),
      };
    } catch (error) {
      throw this.failure(error, spec);
    }
  }

  /** Downloads the tarball of a spec, checking it against the registry's integrity digest. */
  async fetchTarball(spec: string, file: string): Promise<{ name: string; version: string; integrity: string }> {
    const resolved = await this.resolve(spec);
    try {
      const fetched = await pacote().tarball.file(`${resolved.name}@${resolved.version}`, file, { ...this.options, integrity: resolved.integrity });
      return { name: resolved.name, version: resolved.version, integrity: fetched.integrity };
    } catch (error) {
      throw this.failure(error, spec);
    }
  }

  /** Every published version of a package, newest first. */
  async versions(name: string): Promise<PackageVersion[]> {
    try {
      // The full document: the abbreviated one leaves out each version's `marathon` field.
      const packument = await pacote().packument(name, { ...this.options, fullMetadata: true });
      return Object.values(packument.versions)
        .map((entry) => {
          const marathon = marathonField(entry.marathon);
          return {
            version: entry.version,
            ...(typeof entry.deprecated === 'string' ? { deprecated: entry.deprecated } : {}),
            ...(marathon === undefined ? {} : { marathon }),
          };
        })
        .sort((a, b) => semver().rcompare(a.version, b.version));
    } catch (error) {
      throw this.failure(error, name);
    }
  }

  /**
   * The registry's search API, limited to packages with the marathon-plugin keyword. npmjs
   * understands `keywords:marathon-plugin`; registries that do not (Verdaccio searches names and
   * descriptions only) are asked for the words alone, and the keyword is checked here.
   */
  async search(text: string, size = 50): Promise<SearchResult[]> {
    const words = text.trim();
    const query = async (q: string) => {
      try {
        return (await registryFetch().json(`/-/v1/search?text=${encodeURIComponent(q)}&size=${size}`, this.options)) as { objects?: Array<{ package?: Record<string, unknown> }> };
      } catch (error) {
        throw this.failure(error, text);
      }
    };
    let objects = (await query(`keywords:${PLUGIN_KEYWORD}${words === '' ? '' : ` ${words}`}`)).objects ?? [];
    if (objects.length === 0) objects = (await query(words)).objects ?? [];
    return objects
      .map((entry) => entry.package ?? {})
      .filter((pkg) => Array.isArray(pkg.keywords) && pkg.keywords.includes(PLUGIN_KEYWORD))
      .map((pkg) => {
        const tags = pkg['dist-tags'] as Record<string, string> | undefined;
        return {
          name: String(pkg.name),
          version: typeof pkg.version === 'string' ? pkg.version : (tags?.latest ?? ''),
          description: typeof pkg.description === 'string' ? pkg.description : '',
          keywords: (pkg.keywords as unknown[]).filter((word): word is string => typeof word === 'string'),
        };
      });
  }
}
