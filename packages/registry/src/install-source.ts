// Turning an install request into a folder ready for the trust gate: always a fresh copy inside
// MARATHON_HOME/staging, so that what is inspected is exactly what gets installed. Requests are a
// plugin name (found in the search paths), a folder, a .tgz, an http(s) URL to a .tgz, or an npm
// package spec (through an NpmClient: NpmRegistryClient, on pacote).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { extractArchive, listPluginFiles } from '@marathon/security';
import { closestMatch } from '@marathon/manifest';
import { discover } from './discovery';
import { RegistryError } from './errors';
import { checkPluginPackage } from './plugin-package';
import { stagingPrefix } from './marathon-home';
import type { PackageVersion } from './npm-registry-client';
import type { SearchPath } from './search-paths';
import type { SourceKind } from './state-store';

export interface StagedSource {
  kind: SourceKind;
  /** What was asked for, normalised: an absolute path, a URL, a name, an npm spec. */
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
}

const MAX_REDIRECTS = 5;

function isUrl(request: string): boolean {
  return /^https?:\/\//i.test(request);
}

function looksLikePath(request: string): boolean {
  return request.startsWith('.') || request.startsWith('/') || request.startsWith('~') || (request.includes('/') && !request.startsWith('@')) || request.includes('\\');
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

function sri(hash: Buffer): string {
  return `sha512-${hash.toString('base64')}`;
}

/** Downloads a URL to a file: size-capped, redirects followed (each re-checked), hashed on the way. */
function download(url: URL, file: string, maxBytes: number, hops = 0): Promise<string> {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    return Promise.reject(new RegistryError('DOWNLOAD_FAILED', `refusing ${url.href}: plugins are downloaded over https (plain http only from this machine)`));
  }
  return new Promise((resolvePromise, reject) => {
    const get = url.protocol === 'https:' ? httpsGet : httpGet;
    const request = get(url, { timeout: 30_000 }, (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location !== undefined) {
        response.resume();
        if (hops >= MAX_REDIRECTS) return reject(new RegistryError('DOWNLOAD_FAILED', `too many redirects from ${url.href}`));
        return resolvePromise(download(new URL(response.headers.location, url), file, maxBytes, hops + 1));
      }
      if (status !== 200) {
        response.resume();
        return reject(new RegistryError('DOWNLOAD_FAILED', `${url.href} answered ${status}`));
      }
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        response.destroy();
        return reject(new RegistryError('DOWNLOAD_FAILED', `${url.href} is ${declared} bytes, over the ${maxBytes} a plugin may be`));
      }
      const hash = createHash('sha512');
      const out = createWriteStream(file);
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          response.destroy(new RegistryError('DOWNLOAD_FAILED', `${url.href} is over the ${maxBytes} bytes a plugin may be`));
          return;
        }
        hash.update(chunk);
        out.write(chunk);
      });
      response.on('error', (error) => {
        out.destroy();
        reject(error instanceof RegistryError ? error : new RegistryError('DOWNLOAD_FAILED', `downloading ${url.href} failed: ${error.message}`));
      });
      response.on('end', () => out.end(() => resolvePromise(sri(hash.digest()))));
    });
    request.on('timeout', () => request.destroy(new RegistryError('DOWNLOAD_FAILED', `${url.href} did not answer in time`)));
    request.on('error', (error) => reject(error instanceof RegistryError ? error : new RegistryError('DOWNLOAD_FAILED', `cannot download ${url.href}: ${error.message}`)));
  });
}

async function fileSri(file: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha512');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolvePromise(sri(hash.digest())));
  });
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
  return pluginRoot(target);
}

async function copyFolder(source: string, stagingRoot: string, maxBytes: number): Promise<string> {
  // Refuse an oversized folder before copying it, so that a huge one cannot fill the disk.
  const { totalBytes } = await listPluginFiles(source);
  if (totalBytes > maxBytes) throw new RegistryError('SOURCE_NOT_FOUND', `${source} holds ${totalBytes} bytes, over the ${maxBytes} a plugin may be`);
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
  await mkdir(options.stagingDir, { recursive: true });
  const stagingRoot = await mkdtemp(join(options.stagingDir, stagingPrefix(process.pid)));
  try {
    return await stageInto(request, stagingRoot, options);
  } catch (error) {
    await rm(stagingRoot, { recursive: true, force: true });
    throw error;
  }
}

async function stageInto(request: string, stagingRoot: string, options: StageOptions): Promise<StagedSource> {
  if (isUrl(request)) {
    const url = new URL(request);
    const file = join(stagingRoot, 'download.tgz');
    const integrity = await download(url, file, options.maxBytes);
    checkIntegrity(options.integrity, integrity, url.href);
    return { kind: 'url', spec: url.href, dir: await unpack(file, stagingRoot, options), stagingRoot, integrity };
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
    await checkPluginPackage(dir, `${fetched.name}@${fetched.version}`);
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
      const integrity = await fileSri(path);
      checkIntegrity(options.integrity, integrity, path);
      return { kind: 'tgz', spec: path, dir: await unpack(path, stagingRoot, options), stagingRoot, integrity };
    }
    throw new RegistryError('SOURCE_NOT_FOUND', `${path} is neither a plugin folder nor a .tgz archive`);
  }
  const { plugins } = await discover(options.paths);
  const found = plugins.find((plugin) => plugin.name === request);
  if (found === undefined) {
    const suggestion = closestMatch(request, plugins.map((plugin) => plugin.name));
    const hint = suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
    const where = options.paths.map((path) => path.path).join(', ');
    throw new RegistryError('SOURCE_NOT_FOUND', `no plugin named '${request}' in the search paths${hint}; searched ${where}`);
  }
  return { kind: 'search-path', spec: found.name, dir: await copyFolder(found.dir, stagingRoot, options.maxBytes), stagingRoot };
}
