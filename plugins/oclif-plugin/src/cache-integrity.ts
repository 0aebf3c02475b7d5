// What the command cache in MARATHON_HOME/cli may hold before oclif is pointed at it. oclif runs
// code named there at every start — any plugin listed in cli/package.json (its hooks, its
// commands), and whatever the generated plugin's package.json names — so nothing in it is taken on
// trust: cli/package.json must be exactly the one Marathon writes, and the generated plugin's
// folder must hold only its own files, with a package.json of Marathon's shape and a commands.js of
// Marathon's text. Anything else is rebuilt. Folders that someone else owns or may write, or that
// are links, are not used at all (the manager then refuses the home with HOME_UNSAFE and the fix).
// Kept free of @marathon/registry, which costs ~80 ms to load at every start.
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface CacheInfo {
  fingerprint: string;
  cliCommandHook: boolean;
}

const PACKAGE_KEYS = ['description', 'marathon', 'name', 'oclif', 'private', 'version'];
/** The generated plugin's own files; `.tmp` files are left by an interrupted write, and nothing loads them. */
const OWN_FILES = new Set(['package.json', 'commands.js', 'oclif.manifest.json']);

/** Why a folder of the cache may not be used: someone else's, writable by others, or (unless it is the home itself) a link. */
export async function unsafeFolder(path: string, follow: boolean): Promise<string | undefined> {
  const info = await (follow ? stat(path) : lstat(path)).catch(() => undefined);
  if (info === undefined) return undefined; // made by the cache itself, 0700
  if (info.isSymbolicLink()) return `${path} is a symbolic link`;
  if (!info.isDirectory()) return `${path} is not a folder`;
  const uid = process.platform === 'win32' ? undefined : process.geteuid?.();
  if (uid === undefined) return undefined;
  if (uid === 0 ? info.uid !== 0 : info.uid !== uid && info.uid !== 0) return `${path} belongs to uid ${info.uid}`;
  if ((info.mode & 0o022) !== 0) return `${path} can be changed by other users`;
  return undefined;
}

/** cli/package.json: oclif's list of user plugins, holding the generated plugin and nothing else. */
export function dataDirPackageText(pluginName: string, pluginDir: string): string {
  return `${JSON.stringify({ private: true, oclif: { schema: 1, plugins: [{ type: 'link', name: pluginName, root: pluginDir }] } }, null, 2)}\n`;
}

/** The generated plugin's commands.js: the command table of this installation of @marathon/oclif-plugin. */
export function commandsModuleText(target: string): string {
  return `'use strict';\nmodule.exports = require(${JSON.stringify(target)});\n`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function sameKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return JSON.stringify(Object.keys(value).sort()) === JSON.stringify(keys);
}

/** Whether a parsed package.json is one `regenerate` writes: nothing that would make oclif load other code. */
function isGeneratedPackage(pjson: unknown, pluginName: string): pjson is { marathon: CacheInfo } {
  if (
    !isObject(pjson) ||
    !sameKeys(pjson, PACKAGE_KEYS) ||
    pjson.name !== pluginName ||
    pjson.version !== '1.0.0' ||
    pjson.private !== true
  )
    return false;
  if (typeof pjson.description !== 'string') return false;
  const { marathon, oclif } = pjson;
  if (
    !isObject(marathon) ||
    !sameKeys(marathon, ['cliCommandHook', 'fingerprint']) ||
    typeof marathon.fingerprint !== 'string' ||
    typeof marathon.cliCommandHook !== 'boolean'
  )
    return false;
  if (!isObject(oclif) || !sameKeys(oclif, ['commands', 'topics'])) return false;
  if (JSON.stringify(oclif.commands) !== JSON.stringify({ strategy: 'explicit', target: './commands.js', identifier: 'COMMANDS' }))
    return false;
  if (!isObject(oclif.topics)) return false;
  return Object.values(oclif.topics).every(
    (topic) => isObject(topic) && sameKeys(topic, ['description']) && typeof topic.description === 'string',
  );
}

/**
 * The cache's record when the generated plugin in `pluginDir` is Marathon's own and up to date
 * with `fingerprint`; undefined when it must be rebuilt (absent, stale, damaged or tampered with).
 */
export async function currentCache(
  pluginDir: string,
  pluginName: string,
  target: string,
  fingerprint: string,
): Promise<CacheInfo | undefined> {
  try {
    if ((await strayEntries(pluginDir)).length > 0) return undefined;
    for (const name of OWN_FILES) {
      if (!(await lstat(join(pluginDir, name))).isFile()) return undefined;
    }
    const pjson = JSON.parse(await readFile(join(pluginDir, 'package.json'), 'utf8')) as unknown;
    if (!isGeneratedPackage(pjson, pluginName) || pjson.marathon.fingerprint !== fingerprint) return undefined;
    if ((await readFile(join(pluginDir, 'commands.js'), 'utf8')) !== commandsModuleText(target)) return undefined;
    return { fingerprint: pjson.marathon.fingerprint, cliCommandHook: pjson.marathon.cliCommandHook };
  } catch {
    return undefined;
  }
}

/** What the generated plugin's folder holds besides its own files (as regular files): removed before it is rebuilt. */
export async function strayEntries(pluginDir: string): Promise<string[]> {
  const stray: string[] = [];
  for (const name of await readdir(pluginDir).catch(() => [] as string[])) {
    const path = join(pluginDir, name);
    const own = OWN_FILES.has(name) || name.endsWith('.tmp');
    if (
      !own ||
      (await lstat(path).then(
        (info) => !info.isFile(),
        () => false,
      ))
    )
      stray.push(path);
  }
  return stray;
}
