// Turning an install request into a folder ready for the trust gate: always a fresh copy inside
// MARATHON_HOME/staging, so that what is inspected is exactly what gets installed. Requests are a
// plugin name (found in the search paths), a folder, a .tgz, an http(s) URL to a .tgz, or an npm
// package spec (through an NpmClient: NpmRegistryClient, on pacote).
import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { extractArchive, listPluginFiles } from '@marathon/security/trust';
import { didYouMean, packageNameProblem } from '@marathon/manifest';
import { discover } from './discovery';
import { RegistryError } from './errors';
import { copyLocalArchive } from './local-archive';
import { checkPackageBinding } from './plugin-package';
import { ownStagingPrefix } from './process-start';
import { publicUrl } from './source-spec';
import { DEFAULT_DEADLINE_MS, downloadTimeoutFromEnv, downloadUrl, type DownloadOptions } from './url-download';
import type { PackageVersion } from './npm-registry-client';
import type { SearchPath } from './search-paths';
import type { SourceKind } from './state-store';

export interface StagedSource {
  kind: SourceKind;
  /** What was asked for, normalised: an absolute path, a URL (without credentials or query, see source-spec.ts), a name, an npm spec. */
  spec: string;
  /** The staged copy, ready for inspection. */
  dir: string;
  /** The staging folder holding `dir`; remove it when done (install renames `dir` out first). */
  stagingRoot: string;
  /** sha512 of the downloaded tarball, in SRI form, for tgz, URL and npm sources. */
  integrity?: string;
}

/** Fetches an npm package spec's tarball into a file (NpmRegistryClient, or a test double). */
export interface NpmClient {
  fetchTarball(spec: string, file: string): Promise<{ name: string; version: string; integrity: string }>;
  /** Every published version of a package, newest first (for updates). */
  versions?(name: string): Promise<PackageVersion[]>;
}

export interface StageOptions {
  paths: readonly SearchPath[];
  stagingDir: string;
  cwd?: string;
  /** Largest unpacked plugin (the policy's max_plugin_size); also caps downloads. */
  maxBytes: number;
  maxEntries: number;
  /** Expected SRI digest (sha512-…) of a downloaded or local tarball. */
  integrity?: string;
  npm?: NpmClient;
  /**
   * A URL download's clocks (the deadline defaults to $MARATHON_DOWNLOAD_TIMEOUT_MS, else 60 s),
   * proxies (default: npm's, see readProxySettings) and certificates to trust (default: Node's).
   */
  download?: Pick<DownloadOptions, 'deadlineMs' | 'idleMs' | 'proxy' | 'ca'>;
}

function isUrl(request: string): boolean {
  return /^https?:\/\//i.test(request);
}

function looksLikePath(request: string): boolean {
  return (
    request.startsWith('.') ||
    request.startsWith('/') ||
    request.startsWith('~') ||
    (request.includes('/') && !request.startsWith('@')) ||
    request.includes('\\')
  );
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/** The folder inside an unpacked archive that holds plugin.json: its root, or its one top folder (npm's package/). */
async function pluginRoot(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((entry) => entry.name === 'plugin.json')) return dir;
  const folders = entries.filter((entry) => entry.isDirectory());
  if (folders.length === 1 && entries.length === 1) return join(dir, folders[0]!.name);
  return dir;
}

async function unpack(archive: string, stagingRoot: string, options: StageOptions): Promise<string> {
  const target = join(stagingRoot, 'unpacked');
  await extractArchive(archive, target, { maxBytes: options.maxBytes, maxEntries: options.maxEntries });
  // Hashed and unpacked: the archive itself (a copy inside staging) is not needed any more, and
  // staging holds no more than the plugin's own limits.
  await rm(archive, { force: true });
  return pluginRoot(target);
}

async function copyFolder(source: string, stagingRoot: string, maxBytes: number): Promise<string> {
  // Refuse an oversized folder before copying it, so that a huge one cannot fill the disk.
  const { totalBytes } = await listPluginFiles(source);
  if (totalBytes > maxBytes)
    throw new RegistryError('SOURCE_NOT_FOUND', `${source} holds ${totalBytes} bytes, over the ${maxBytes} a plugin may be`);
  const target = join(stagingRoot, 'copy');
  // Symlinks are copied as symlinks, for the trust gate to refuse; never followed.
  await cp(source, target, { recursive: true, dereference: false, verbatimSymlinks: true, errorOnExist: true, force: false });
  return target;
}

function checkIntegrity(expected: string | undefined, actual: string, what: string): void {
  if (expected !== undefined && expected !== actual) {
    throw new RegistryError('DOWNLOAD_FAILED', `${what} does not match --integrity: expected ${expected}, got ${actual}`);
  }
}

/** Stages an install request into a fresh folder under `stagingDir`. Removes the folder if staging fails. */
export async function stageSource(request: string, options: StageOptions): Promise<StagedSource> {
  await mkdir(options.stagingDir, { recursive: true, mode: 0o700 });
  const stagingRoot = await mkdtemp(join(options.stagingDir, ownStagingPrefix()));
  try {
    return await stageInto(request, stagingRoot, options);
  } catch (error) {
    await rm(stagingRoot, { recursive: true, force: true });
    throw error;
  }
}

async function stageInto(request: string, stagingRoot: string, options: StageOptions): Promise<StagedSource> {
  if (isUrl(request)) {
    let url: URL;
    try {
      url = new URL(request);
    } catch {
      // Not quoted back: the text may hold a password.
      throw new RegistryError('SOURCE_NOT_FOUND', 'the install request starts like a URL but is not one: check it');
    }
    const file = join(stagingRoot, 'download.tgz');
    const deadlineMs = options.download?.deadlineMs ?? downloadTimeoutFromEnv() ?? DEFAULT_DEADLINE_MS;
    const integrity = await downloadUrl(url, file, { ...options.download, maxBytes: options.maxBytes, deadlineMs });
    // Recorded, and shown from here on, without credentials or query: the URL typed served this one fetch.
    const spec = publicUrl(url);
    checkIntegrity(options.integrity, integrity, spec);
    return { kind: 'url', spec, dir: await unpack(file, stagingRoot, options), stagingRoot, integrity };
  }
  if (request.startsWith('npm:') || (/^(@[^/]+\/)?[^@/]+@.+$/.test(request) && !looksLikePath(request))) {
    const spec = request.replace(/^npm:/, '');
    if (options.npm === undefined) {
      throw new RegistryError('SOURCE_UNSUPPORTED', `'${spec}' is an npm package spec, and no npm registry client is configured`);
    }
    const file = join(stagingRoot, 'package.tgz');
    const fetched = await options.npm.fetchTarball(spec, file);
    checkIntegrity(options.integrity, fetched.integrity, spec);
    const dir = await unpack(file, stagingRoot, options);
    // Again on what was unpacked: the name and version asked for, package.json and plugin.json agree.
    await checkPackageBinding(dir, { name: fetched.name, version: fetched.version });
    // Recorded as the exact version fetched, so that an export pins what is installed.
    return { kind: 'npm', spec: `${fetched.name}@${fetched.version}`, dir, stagingRoot, integrity: fetched.integrity };
  }
  if (looksLikePath(request)) {
    const path = resolve(options.cwd ?? process.cwd(), expandHome(request));
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new RegistryError('SOURCE_NOT_FOUND', `no such file or folder: ${path}`);
    }
    if (info.isDirectory()) return { kind: 'folder', spec: path, dir: await copyFolder(path, stagingRoot, options.maxBytes), stagingRoot };
    if (/\.(tgz|tar\.gz)$/.test(path)) {
      // One read, into a copy: the digest checked and the bytes unpacked are the copy's.
      const copy = join(stagingRoot, 'archive.tgz');
      const integrity = await copyLocalArchive(path, copy, options.maxBytes);
      checkIntegrity(options.integrity, integrity, path);
      return { kind: 'tgz', spec: path, dir: await unpack(copy, stagingRoot, options), stagingRoot, integrity };
    }
    throw new RegistryError('SOURCE_NOT_FOUND', `${path} is neither a plugin folder nor a .tgz archive`);
  }
  const { plugins } = await discover(options.paths);
  const found = plugins.find((plugin) => plugin.name === request);
  if (found === undefined) {
    const hint = didYouMean(
      request,
      plugins.map((plugin) => plugin.name),
    );
    const where = options.paths.map((path) => path.path).join(', ');
    // A name `plugin search` listed is a package on the registry, not a folder here: say how to get it.
    const npm =
      packageNameProblem(request) === undefined ? `; to install it from the npm registry: marathon plugin install npm:${request}` : '';
    throw new RegistryError('SOURCE_NOT_FOUND', `no plugin named '${request}' in the search paths${hint}; searched ${where}${npm}`);
  }
  return { kind: 'search-path', spec: found.name, dir: await copyFolder(found.dir, stagingRoot, options.maxBytes), stagingRoot };
}
