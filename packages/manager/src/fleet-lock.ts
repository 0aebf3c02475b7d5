// marathon-plugins.lock.json: what a host runs — each plugin's version, source, content digest,
// enabled state and granted permissions — so that every host of a fleet can be made to match it.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { packageNameProblem, strictJsonProblem, versionProblem } from '@marathon/manifest';
import { PERMISSIONS, type HookType, type Permission } from '@marathon/plugin-api';
import {
  authorityProblems,
  nameTable,
  publicUrl,
  type InstalledPlugin,
  type OperatorAuthority,
  type OperatorSettings,
  type SourceKind,
  type StoredSettingValue,
} from '@marathon/registry';
import type { FileDigests } from '@marathon/security/trust';
import { ManagerError } from './errors';

export const LOCKFILE_NAME = 'marathon-plugins.lock.json';
export const LOCKFILE_VERSION = 1;
/** Far above any fleet's lockfile (about 500 bytes a plugin); a larger file is refused unread. */
export const MAX_LOCKFILE_BYTES = 4 * 1024 * 1024;
/** Plugins one lockfile may list. */
export const MAX_LOCKFILE_PLUGINS = 5000;

export interface LockEntry {
  version: string;
  source: { kind: SourceKind; spec: string };
  /** sha512 over the installed files' digests (SRI form): the same files give the same value. */
  integrity: string;
  /** sha512 of the archive, for tgz, URL and npm sources (checked before anything is unpacked). */
  tarball_integrity?: string;
  enabled: boolean;
  permissions: Permission[];
  /**
   * The operator's settings of the plugin (`marathon plugin config`); a secret's value is its
   * `${NAME}` reference, never the secret. Absent: none (a sync then removes the host's).
   */
  settings?: Record<string, StoredSettingValue>;
  /** The operator's changes to what the plugin may do (`marathon plugin authority`); the lockfile is the consent. */
  authority?: OperatorAuthority;
  /** The operator's hook priorities (`marathon plugin priority`), overriding plugin.json's. */
  priorities?: Partial<Record<HookType, number>>;
}

export interface Lockfile {
  lockfileVersion: typeof LOCKFILE_VERSION;
  plugins: Record<string, LockEntry>;
}

/** One digest for a plugin's files, from the per-file digests recorded at install. */
export function contentIntegrity(digests: FileDigests): string {
  const hash = createHash('sha512');
  for (const path of Object.keys(digests).sort()) hash.update(`${path}\0${digests[path]}\n`);
  return `sha512-${hash.digest('base64')}`;
}

function exportedUrl(spec: string): string {
  try {
    return publicUrl(new URL(spec));
  } catch {
    return spec;
  }
}

export function lockEntry(record: InstalledPlugin, operator: Readonly<OperatorSettings> = {}): LockEntry {
  const settings = operator.settings ?? {};
  const authority = operator.authority ?? {};
  return {
    version: record.version,
    // A URL recorded before credentials were stripped at install must not leave in an export.
    source: { kind: record.source.kind, spec: record.source.kind === 'url' ? exportedUrl(record.source.spec) : record.source.spec },
    integrity: contentIntegrity(record.integrity),
    ...(record.source.integrity === undefined ? {} : { tarball_integrity: record.source.integrity }),
    enabled: record.status === 'enabled',
    permissions: [...record.granted_permissions].sort(),
    ...(record.priorities === undefined || Object.keys(record.priorities).length === 0
      ? {}
      : { priorities: sortedKeys(record.priorities) }),
    ...(Object.keys(settings).length === 0 ? {} : { settings: sortedKeys(settings) }),
    ...(Object.keys(authority).length === 0
      ? {}
      : { authority: sortedKeys(authority as Readonly<Record<string, unknown>>) as OperatorAuthority }),
  };
}

function sortedKeys<T>(table: Readonly<Record<string, T>>): Record<string, T> {
  const sorted = nameTable<T>();
  for (const key of Object.keys(table).sort()) sorted[key] = table[key]!;
  return sorted;
}

/** The lockfile of `records`; `operator` gives what the operator decided for each plugin, by name. */
export function lockfileOf(
  records: readonly InstalledPlugin[],
  operator: (name: string) => Readonly<OperatorSettings> | undefined = () => undefined,
): Lockfile {
  const plugins = nameTable<LockEntry>();
  for (const record of [...records].sort((a, b) => (a.name < b.name ? -1 : 1)))
    plugins[record.name] = lockEntry(record, operator(record.name));
  return { lockfileVersion: LOCKFILE_VERSION, plugins };
}

const KINDS: readonly SourceKind[] = ['search-path', 'folder', 'tgz', 'url', 'npm'];
const SRI = /^sha512-[A-Za-z0-9+/]+={0,2}$/;

/** Reads and parses a lockfile: a regular file of at most MAX_LOCKFILE_BYTES, read once. */
export async function readLockfile(file: string): Promise<Lockfile> {
  let text: string;
  let handle;
  try {
    // Non-blocking, so that a FIFO planted under the name is refused instead of waited on.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ManagerError('LOCKFILE_INVALID', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): check the path`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ManagerError('LOCKFILE_INVALID', `${file} is not a regular file`);
    if (info.size > MAX_LOCKFILE_BYTES) throw tooLarge(file);
    // Read at most one byte past the cap, whatever the size said: the file may grow meanwhile.
    const buffer = Buffer.alloc(MAX_LOCKFILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_LOCKFILE_BYTES) throw tooLarge(file);
    }
    text = buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
  return parseLockfile(text, file);
}

function tooLarge(file: string): ManagerError {
  return new ManagerError(
    'LOCKFILE_INVALID',
    `${file} is larger than ${MAX_LOCKFILE_BYTES} bytes; a Marathon lockfile lists plugins, it does not hold data`,
  );
}

/** What a source spec of each kind must look like, for the plugin `name` it installs. */
function sourceProblem(name: string, kind: SourceKind, spec: string): string | undefined {
  switch (kind) {
    case 'npm':
      // Installed as npm:<name>@<version>, by the lockfile's name: the spec only records it.
      return spec === name || spec.startsWith(`${name}@`) ? undefined : `an npm source of '${name}' must be '${name}@<version>'`;
    case 'search-path':
      return spec === name ? undefined : `a search-path source of '${name}' must be its name`;
    case 'folder':
    case 'tgz':
      return isAbsolute(spec) ? undefined : `a ${kind} source must be an absolute path`;
    case 'url':
      return /^https?:\/\/[^\s]+$/i.test(spec) ? undefined : 'a url source must be an http(s) URL';
  }
}

/**
 * Reads a lockfile's text; every problem is listed with its path. The text must be strict JSON
 * with no key given twice (JSON.parse would keep the last silently, and a reviewer might read the
 * first), each plugin named as a package can be, with an exact version and a source of its kind.
 */
export function parseLockfile(text: string, file: string): Lockfile {
  if (Buffer.byteLength(text, 'utf8') > MAX_LOCKFILE_BYTES) throw tooLarge(file);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const syntax = strictJsonProblem(body, 'a lockfile');
  if (syntax !== undefined)
    throw new ManagerError(
      'LOCKFILE_INVALID',
      `${file} is not valid JSON: ${syntax.message} at line ${syntax.line}, column ${syntax.column}`,
    );
  const value: unknown = JSON.parse(body);
  const problems: string[] = [];
  const object = (at: unknown): at is Record<string, unknown> => typeof at === 'object' && at !== null && !Array.isArray(at);
  if (!object(value)) throw new ManagerError('LOCKFILE_INVALID', `${file} must hold a JSON object`);
  if (value.lockfileVersion !== LOCKFILE_VERSION)
    problems.push(`lockfileVersion: must be ${LOCKFILE_VERSION}, not ${JSON.stringify(value.lockfileVersion)}`);
  if (!object(value.plugins)) problems.push('plugins: must be an object of plugin name → entry');
  else if (Object.keys(value.plugins).length > MAX_LOCKFILE_PLUGINS)
    problems.push(`plugins: lists ${Object.keys(value.plugins).length} plugins; at most ${MAX_LOCKFILE_PLUGINS}`);
  else {
    for (const [name, entry] of Object.entries(value.plugins)) {
      const nameProblem = packageNameProblem(name);
      // A name that is not a package name is quoted: it may hold anything.
      const at = nameProblem === undefined ? `plugins.${name}` : `plugins[${JSON.stringify(name)}]`;
      if (nameProblem !== undefined) problems.push(`${at}: ${nameProblem}`);
      if (!object(entry)) {
        problems.push(`${at}: must be an object`);
        continue;
      }
      if (typeof entry.version !== 'string' || versionProblem(entry.version) !== undefined)
        problems.push(`${at}.version: must be an exact version, like 1.0.0`);
      const source = entry.source;
      if (!object(source) || !KINDS.includes(source.kind as SourceKind) || typeof source.spec !== 'string' || source.spec === '') {
        problems.push(`${at}.source: must be { kind: ${KINDS.join('|')}, spec: string }`);
      } else if (nameProblem === undefined) {
        const problem = sourceProblem(name, source.kind as SourceKind, source.spec);
        if (problem !== undefined) problems.push(`${at}.source.spec: ${problem}`);
      }
      if (typeof entry.integrity !== 'string' || !SRI.test(entry.integrity)) problems.push(`${at}.integrity: must be a sha512-… digest`);
      if (entry.tarball_integrity !== undefined && (typeof entry.tarball_integrity !== 'string' || !SRI.test(entry.tarball_integrity))) {
        problems.push(`${at}.tarball_integrity: must be a sha512-… digest`);
      }
      if (typeof entry.enabled !== 'boolean') problems.push(`${at}.enabled: must be true or false`);
      if (!Array.isArray(entry.permissions) || !entry.permissions.every((permission) => PERMISSIONS.includes(permission as Permission))) {
        problems.push(`${at}.permissions: must list permissions (${PERMISSIONS.join(', ')})`);
      }
      if (entry.settings !== undefined) problems.push(...settingsProblems(`${at}.settings`, entry.settings));
      if (entry.authority !== undefined) problems.push(...authorityProblems(`${at}.authority`, entry.authority));
      if (
        entry.priorities !== undefined &&
        (typeof entry.priorities !== 'object' ||
          entry.priorities === null ||
          Array.isArray(entry.priorities) ||
          Object.values(entry.priorities).some((value) => typeof value !== 'number' || !Number.isSafeInteger(value)))
      )
        problems.push(`${at}.priorities: must be an object of hook → whole number`);
    }
  }
  if (problems.length > 0) throw new ManagerError('LOCKFILE_INVALID', `${file} is not a valid Marathon lockfile:`, problems);
  return { ...(value as unknown as Lockfile), plugins: nameTable((value as unknown as Lockfile).plugins) };
}

/** The shape of a lock entry's settings; whether the plugin declares them is checked when a sync applies them. */
function settingsProblems(at: string, settings: unknown): string[] {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return [`${at}: must be an object of setting → value`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    const fits =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string'));
    if (!fits) problems.push(`${at}.${key}: must be a string, number, boolean or list of strings`);
  }
  return problems;
}
