// MARATHON_HOME and where things live in it. One place names every path, so no other module
// builds them by hand.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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
    dataDir: (plugin) => join(root, 'data', ...plugin.split('/')),
    storageFile: (plugin) => join(root, 'storage', `${encodeURIComponent(plugin)}.json`),
  };
}

/**
 * The start of a staging folder's name. The pid in it lets a later process tell a dead process's
 * leftovers from a live one's work; `purpose` ('sync') marks what the folder is for.
 */
export function stagingPrefix(pid: number, purpose?: string): string {
  return purpose === undefined ? `stage-${pid}-` : `stage-${pid}-${purpose}-`;
}

/** The pid that owns a staging folder (see stagingPrefix), and the folder's purpose if it names one. */
export function stagingOwner(name: string): { pid: number; purpose?: string } | undefined {
  const match = /^stage-(\d+)-(?:([a-z]+)-)?/.exec(name);
  if (match === null) return undefined;
  return match[2] === undefined ? { pid: Number(match[1]) } : { pid: Number(match[1]), purpose: match[2] };
}

/** A folder name for one installed copy: unique, so that an update never overwrites in place. */
export function installFolderName(plugin: string, version: string, unique: string): string {
  return `${encodeURIComponent(plugin)}@${version}-${unique}`;
}
