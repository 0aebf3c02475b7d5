// A Marathon plugin as an npm package: plugin.json at the package root, and a package.json whose
// name and version are the manifest's. The `marathon` field repeats what a registry client needs to
// choose a version without downloading it (plugin API, permissions); the `marathon-plugin` keyword
// makes it findable with `marathon plugin search`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '@marathon/manifest';
import type { Permission } from '@marathon/plugin-api';
import { RegistryError } from './errors';

export const PLUGIN_KEYWORD = 'marathon-plugin';

/** What package.json's `marathon` field holds. */
export interface PackageMarathonField {
  api_version: string;
  permissions: Permission[];
}

export interface PluginPackageJson {
  name: string;
  version: string;
  description: string;
  keywords: string[];
  type: 'module';
  marathon: PackageMarathonField;
  [key: string]: unknown;
}

/** package.json for a plugin folder: `existing` fields are kept, identity and metadata come from the manifest. */
export function pluginPackageJson(manifest: Manifest, existing: Record<string, unknown> = {}): PluginPackageJson {
  const keywords = Array.isArray(existing.keywords) ? existing.keywords.filter((word): word is string => typeof word === 'string') : [];
  return {
    ...existing,
    name: manifest.name,
    version: manifest.version,
    description: typeof existing.description === 'string' && existing.description !== '' ? existing.description : manifest.description,
    keywords: [...new Set([...keywords, PLUGIN_KEYWORD])],
    type: 'module',
    marathon: { api_version: manifest.api_version, permissions: [...manifest.permissions] },
  };
}

/**
 * Checks an unpacked npm package is a Marathon plugin: plugin.json at its root, and package.json
 * (when there is one) naming the same package and version. `what` names the package in messages.
 */
export async function checkPluginPackage(dir: string, what: string): Promise<void> {
  let manifest: { name?: unknown; version?: unknown };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RegistryError('NOT_A_PLUGIN', `${what} is not a Marathon plugin: it has no plugin.json at its root`);
    }
    // A damaged plugin.json is for the manifest validator to explain, with every problem.
    return;
  }
  let pkg: { name?: unknown; version?: unknown };
  try {
    pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    return;
  }
  if (pkg.version !== manifest.version) {
    throw new RegistryError('NOT_A_PLUGIN', `${what}: package.json says version ${String(pkg.version)} but plugin.json says ${String(manifest.version)}; they must be the same`);
  }
  if (pkg.name !== manifest.name) {
    throw new RegistryError('NOT_A_PLUGIN', `${what}: package.json is named '${String(pkg.name)}' but plugin.json '${String(manifest.name)}'; they must be the same`);
  }
}
