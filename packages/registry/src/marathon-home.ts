// MARATHON_HOME and where things live in it. One place names every path, so no other module
// builds them by hand.
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { packageNameProblem } from '@marathon/manifest';
import { RegistryError } from './errors';

export interface MarathonHome {
  root: string;
  /** The installed-state file. */
  stateFile: string;
  /** Installed copies of plugins, one folder per install. */
  installedDir: string;
  /** Where installs are assembled before they are renamed into installedDir. */
  stagingDir: string;
  /** Drop-in plugins, a search path. */
  pluginsDir: string;
  keysDir: string;
  configFile: string;
  historyDir: string;
  /** The CLI's command cache (oclif's data directory). */
  cliDir: string;
  /** Download caches (npm). */
  cacheDir: string;
  /** ctx.fs data folder of a plugin. */
  dataDir(plugin: string): string;
  /** ctx.storage file of a plugin. */
  storageFile(plugin: string): string;
}

/** The home folder: `explicit`, else $MARATHON_HOME, else ~/.marathon. */
export function marathonHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): MarathonHome {
  const root = resolve(explicit ?? env.MARATHON_HOME ?? join(homedir(), '.marathon'));
  return {
    root,
    stateFile: join(root, 'state.json'),
    installedDir: join(root, 'installed'),
    stagingDir: join(root, 'staging'),
    pluginsDir: join(root, 'plugins'),
    keysDir: join(root, 'keys'),
    configFile: join(root, 'config.json'),
    historyDir: join(root, 'history'),
    cliDir: join(root, 'cli'),
    cacheDir: join(root, 'cache'),
    dataDir: (plugin) => join(root, 'data', ...pluginPathSegments(plugin)),
    storageFile: (plugin) => join(root, 'storage', `${encodeURIComponent(plugin)}.json`),
  };
}

/**
 * The folders Marathon creates in the home and writes or deletes in: made 0700 and checked at
 * every open (home-guard.ts). `plugins/` is not among them: it is a search path the operator fills.
 */
export function ownedFolders(home: MarathonHome): string[] {
  return [home.installedDir, home.stagingDir, join(home.root, 'data'), join(home.root, 'storage'), home.historyDir, home.keysDir, home.cliDir, home.cacheDir];
}

/**
 * A plugin name as the one or two folder names of its data folder (`@scope/name` → two). The name
 * comes from state.json, which may have been edited: `..`, `.` or an empty segment would leave
 * data/, so they are refused here, where the path is made, whatever the caller checked.
 */
function pluginPathSegments(plugin: string): string[] {
  const segments = plugin.split('/');
  const scoped = segments.length === 2 && segments[0]!.startsWith('@') && segments[0]!.length > 1;
  const safe = (segment: string) => segment !== '' && segment !== '.' && segment !== '..' && !/[\\\0]/.test(segment);
  if ((segments.length === 1 || scoped) && segments.every(safe)) return segments;
  throw new RegistryError('PATH_REFUSED', `'${plugin}' is not a plugin name Marathon would make a data folder for; check state.json`);
}

/**
 * The start of a staging folder's name. The pid and, where known, the process's start time
 * (process-start.ts) in it let a later process tell a dead process's leftovers from a live one's
 * work, even when a new process got the dead one's pid (pid 1 in every container); `purpose`
 * ('sync') marks what the folder is for.
 */
export function stagingPrefix(pid: number, purpose?: string, start?: string): string {
  const owner = start === undefined ? `${pid}` : `${pid}.${start}`;
  return purpose === undefined ? `stage-${owner}-` : `stage-${owner}-${purpose}-`;
}

/** Who owns a staging folder (see stagingPrefix): its pid, the start time if it names one, and its purpose if it names one. */
export function stagingOwner(name: string): { pid: number; start?: string; purpose?: string } | undefined {
  const match = /^stage-(\d+)(?:\.(\d+))?-(?:([a-z]+)-)?/.exec(name);
  if (match === null) return undefined;
  return {
    pid: Number(match[1]),
    ...(match[2] === undefined ? {} : { start: match[2] }),
    ...(match[3] === undefined ? {} : { purpose: match[3] }),
  };
}

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
  if (unique !== undefined && /^[0-9a-z]{1,32}$/.test(unique) && !/[/\\\0]/.test(version) && version !== '' && !version.includes('..')) return undefined;
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
