// Discovery reads plugin.json in every child folder of every search path and validates it. A
// broken folder is reported next to the others, never instead of them; a name declared in two
// folders is taken from the higher-precedence path, and the conflict is reported.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError, parseManifestJson, type Manifest } from '@marathon/manifest';
import type { SearchPath } from './search-paths';

export interface DiscoveredPlugin {
  name: string;
  version: string;
  manifest: Manifest;
  dir: string;
  searchPath: SearchPath;
}

export interface DiscoveryError {
  dir: string;
  searchPath: SearchPath;
  message: string;
}

export interface DiscoveryConflict {
  name: string;
  /** The folder whose plugin is used. */
  winner: string;
  /** Folders declaring the same name that are ignored. */
  shadowed: string[];
}

export interface Discovery {
  plugins: DiscoveredPlugin[];
  errors: DiscoveryError[];
  conflicts: DiscoveryConflict[];
}

/** Folders read at once: enough to keep the disk busy, few enough not to exhaust descriptors. */
const CONCURRENCY = 64;

async function mapLimited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

type FolderResult = { plugin: DiscoveredPlugin } | { error: DiscoveryError } | undefined;

async function readFolder(dir: string, searchPath: SearchPath): Promise<FolderResult> {
  let text: string;
  try {
    text = await readFile(join(dir, 'plugin.json'), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A folder without plugin.json is not a plugin; one whose plugin.json cannot be read is broken.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { error: { dir, searchPath, message: `cannot read plugin.json (${code ?? 'error'})` } };
  }
  try {
    const manifest = parseManifestJson(text, { file: join(dir, 'plugin.json') });
    return { plugin: { name: manifest.name, version: manifest.version, manifest, dir, searchPath } };
  } catch (error) {
    if (error instanceof ManifestError) return { error: { dir, searchPath, message: error.message } };
    throw error;
  }
}

/** Discovers the plugins in the search paths, in precedence order. */
export async function discover(paths: readonly SearchPath[]): Promise<Discovery> {
  const folders: Array<{ dir: string; searchPath: SearchPath }> = [];
  const errors: DiscoveryError[] = [];
  for (const searchPath of paths) {
    let entries;
    try {
      entries = await readdir(searchPath.path, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') errors.push({ dir: searchPath.path, searchPath, message: `cannot read the search path (${code ?? 'error'})` });
      continue;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isDirectory() || entry.isSymbolicLink()) folders.push({ dir: join(searchPath.path, entry.name), searchPath });
    }
  }
  const results = await mapLimited(folders, CONCURRENCY, ({ dir, searchPath }) => readFolder(dir, searchPath));
  const plugins: DiscoveredPlugin[] = [];
  const byName = new Map<string, DiscoveredPlugin>();
  const conflicts = new Map<string, DiscoveryConflict>();
  for (const result of results) {
    if (result === undefined) continue;
    if ('error' in result) {
      errors.push(result.error);
      continue;
    }
    const { plugin } = result;
    const winner = byName.get(plugin.name);
    if (winner === undefined) {
      byName.set(plugin.name, plugin);
      plugins.push(plugin);
    } else {
      const conflict = conflicts.get(plugin.name) ?? { name: plugin.name, winner: winner.dir, shadowed: [] };
      conflict.shadowed.push(plugin.dir);
      conflicts.set(plugin.name, conflict);
    }
  }
  return { plugins, errors, conflicts: [...conflicts.values()] };
}
