// MARATHON_HOME and where things live in it. One place names every path, so no other module
// builds them by hand: the layout itself is home-layout.ts (cheap to load, for the CLI's fast
// path); this module adds what needs the manifest's name rules.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { packageNameProblem } from '@marathon/manifest';
import { type MarathonHome } from './home-layout';

export { marathonHome, ownedFolders, stagingOwner, stagingPrefix, type MarathonHome } from './home-layout';

/** A folder name for one installed copy: unique, so that an update never overwrites in place. */
export function installFolderName(plugin: string, version: string, unique: string): string {
  return `${encodeURIComponent(plugin)}@${version}-${unique}`;
}

/**
 * Why `folder` is not a name installFolderName gives `plugin` at `version` (undefined when it is).
 * A record's folder is joined to installed/ and deleted at uninstall: anything else (`../x`, a
 * nested path, another plugin's copy) is refused rather than followed.
 */
export function installFolderProblem(plugin: string, version: string, folder: string): string | undefined {
  const prefix = `${encodeURIComponent(plugin)}@${version}-`;
  const unique = folder.startsWith(prefix) ? folder.slice(prefix.length) : undefined;
  if (unique !== undefined && /^[0-9a-z]{1,32}$/.test(unique) && !/[/\\\0]/.test(version) && version !== '' && !version.includes('..'))
    return undefined;
  return `folder '${folder}' is not the installed copy of ${plugin} ${version} (expected ${prefix}<id>)`;
}

/** What Marathon removes of a plugin, found by its path in the home (see homeEntryOwner). */
export interface HomeEntry {
  area: 'installed' | 'data' | 'storage';
  plugin: string;
  /** The path relative to the home, with forward slashes. */
  relative: string;
}

/**
 * Which plugin's installed copy, data folder or store `path` is — undefined for anything else
 * (outside the home, another folder, a name Marathon never makes). A sync's journal names what it
 * moved aside by such paths; one that is not of this form was not written by Marathon.
 */
export function homeEntryOwner(home: MarathonHome, path: string): HomeEntry | undefined {
  const rel = relative(home.root, resolve(home.root, path));
  if (rel === '' || isAbsolute(rel) || rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  const relativePath = parts.join('/');
  const [area, ...rest] = parts;
  const valid = (plugin: string) => packageNameProblem(plugin) === undefined;
  if (area === 'installed' && rest.length === 1) {
    const folder = rest[0]!;
    const at = folder.indexOf('@');
    const dash = folder.lastIndexOf('-');
    if (at <= 0 || dash <= at) return undefined;
    let plugin: string;
    try {
      plugin = decodeURIComponent(folder.slice(0, at));
    } catch {
      return undefined;
    }
    if (!valid(plugin) || installFolderProblem(plugin, folder.slice(at + 1, dash), folder) !== undefined) return undefined;
    return { area, plugin, relative: relativePath };
  }
  if (area === 'data' && (rest.length === 1 || rest.length === 2)) {
    const plugin = rest.join('/');
    return valid(plugin) ? { area, plugin, relative: relativePath } : undefined;
  }
  if (area === 'storage' && rest.length === 1 && rest[0]!.endsWith('.json')) {
    let plugin: string;
    try {
      plugin = decodeURIComponent(rest[0]!.slice(0, -'.json'.length));
    } catch {
      return undefined;
    }
    return valid(plugin) && home.storageFile(plugin) === join(home.root, rel) ? { area, plugin, relative: relativePath } : undefined;
  }
  return undefined;
}
