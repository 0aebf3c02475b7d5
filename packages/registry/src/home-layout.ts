// The layout of MARATHON_HOME: where things live in it and how staging folders are named. The
// `@marathon/registry/home` entry point: the CLI reads the home on its fast path (before any
// command runs) through this module, so it imports nothing but Node and plugin-api's error class —
// no manifest schema, no npm client (test/home-entry-point.test.ts checks). It also carries the
// home's guard (home-guard.ts, Node only), for commands that write in the home and need no more.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { RegistryError } from './errors';

export { secureHome } from './home-guard';

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
  return [
    home.installedDir,
    home.stagingDir,
    join(home.root, 'data'),
    join(home.root, 'storage'),
    home.historyDir,
    home.keysDir,
    home.cliDir,
    home.cacheDir,
  ];
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
