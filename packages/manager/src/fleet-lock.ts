// marathon-plugins.lock.json: what a host runs — each plugin's version, source, content digest,
// enabled state and granted permissions — so that every host of a fleet can be made to match it.
import { createHash } from 'node:crypto';
import { PERMISSIONS, type Permission } from '@marathon/plugin-api';
import { nameTable, type InstalledPlugin, type SourceKind } from '@marathon/registry';
import type { FileDigests } from '@marathon/security';
import { ManagerError } from './errors';

export const LOCKFILE_NAME = 'marathon-plugins.lock.json';
export const LOCKFILE_VERSION = 1;

export interface LockEntry {
  version: string;
  source: { kind: SourceKind; spec: string };
  /** sha512 over the installed files' digests (SRI form): the same files give the same value. */
  integrity: string;
  /** sha512 of the archive, for tgz, URL and npm sources (checked before anything is unpacked). */
  tarball_integrity?: string;
  enabled: boolean;
  permissions: Permission[];
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

export function lockEntry(record: InstalledPlugin): LockEntry {
  return {
    version: record.version,
    source: { kind: record.source.kind, spec: record.source.spec },
    integrity: contentIntegrity(record.integrity),
    ...(record.source.integrity === undefined ? {} : { tarball_integrity: record.source.integrity }),
    enabled: record.status === 'enabled',
    permissions: [...record.granted_permissions].sort(),
  };
}

export function lockfileOf(records: readonly InstalledPlugin[]): Lockfile {
  const plugins = nameTable<LockEntry>();
  for (const record of [...records].sort((a, b) => (a.name < b.name ? -1 : 1))) plugins[record.name] = lockEntry(record);
  return { lockfileVersion: LOCKFILE_VERSION, plugins };
}

const KINDS: readonly SourceKind[] = ['search-path', 'folder', 'tgz', 'url', 'npm'];
const SRI = /^sha512-[A-Za-z0-9+/]+={0,2}$/;

/** Reads a lockfile's text; every problem is listed with its path. */
export function parseLockfile(text: string, file: string): Lockfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManagerError('LOCKFILE_INVALID', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const object = (at: unknown): at is Record<string, unknown> => typeof at === 'object' && at !== null && !Array.isArray(at);
  if (!object(value)) throw new ManagerError('LOCKFILE_INVALID', `${file} must hold a JSON object`);
  if (value.lockfileVersion !== LOCKFILE_VERSION) problems.push(`lockfileVersion: must be ${LOCKFILE_VERSION}, not ${JSON.stringify(value.lockfileVersion)}`);
  if (!object(value.plugins)) problems.push('plugins: must be an object of plugin name → entry');
  else {
    for (const [name, entry] of Object.entries(value.plugins)) {
      const at = `plugins.${name}`;
      if (!object(entry)) {
        problems.push(`${at}: must be an object`);
        continue;
      }
      if (typeof entry.version !== 'string' || entry.version === '') problems.push(`${at}.version: must be a version`);
      const source = entry.source;
      if (!object(source) || !KINDS.includes(source.kind as SourceKind) || typeof source.spec !== 'string' || source.spec === '') {
        problems.push(`${at}.source: must be { kind: ${KINDS.join('|')}, spec: string }`);
      }
      if (typeof entry.integrity !== 'string' || !SRI.test(entry.integrity)) problems.push(`${at}.integrity: must be a sha512-… digest`);
      if (entry.tarball_integrity !== undefined && (typeof entry.tarball_integrity !== 'string' || !SRI.test(entry.tarball_integrity))) {
        problems.push(`${at}.tarball_integrity: must be a sha512-… digest`);
      }
      if (typeof entry.enabled !== 'boolean') problems.push(`${at}.enabled: must be true or false`);
      if (!Array.isArray(entry.permissions) || !entry.permissions.every((permission) => PERMISSIONS.includes(permission as Permission))) {
        problems.push(`${at}.permissions: must list permissions (${PERMISSIONS.join(', ')})`);
      }
    }
  }
  if (problems.length > 0) throw new ManagerError('LOCKFILE_INVALID', `${file} is not a valid Marathon lockfile:`, problems);
  return { ...(value as unknown as Lockfile), plugins: nameTable((value as unknown as Lockfile).plugins) };
}
