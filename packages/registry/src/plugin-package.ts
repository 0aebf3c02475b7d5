// A Marathon plugin as an npm package: plugin.json at the package root, and a package.json whose
// name and version are the manifest's — and both those of the registry entry it was fetched as:
// a plugin's name is its package's name, scope included (`plugin pack` writes it so), so that
// `npm:a` can never install a plugin `b`. The `marathon` field repeats what a registry client needs to
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

/** A package name and an exact version. */
export interface PackageIdentity {
  name: string;
  version: string;
}

/** What a package holds: its parsed package.json and plugin.json (undefined when absent). */
export interface FoundIdentity {
  packageJson: unknown;
  pluginJson: unknown;
}

function identityOf(json: unknown): { name?: unknown; version?: unknown } | undefined {
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { name?: unknown; version?: unknown }) : undefined;
}

function shown(json: { name?: unknown; version?: unknown } | undefined): string {
  if (json === undefined) return '(none)';
  const part = (value: unknown) => (typeof value === 'string' ? value : value === undefined ? '(no value)' : JSON.stringify(value));
  return `${part(json.name)}@${part(json.version)}`;
}

/**
 * Refuses (NOT_A_PLUGIN) a package unless the registry entry it was fetched as, its package.json
 * and its plugin.json all name the same package and version; the message shows all three.
 */
export function assertPackageBinding(requested: PackageIdentity, found: FoundIdentity): void {
  const what = `${requested.name}@${requested.version}`;
  const pkg = identityOf(found.packageJson);
  const manifest = identityOf(found.pluginJson);
  if (found.pluginJson === undefined)
    throw new RegistryError('NOT_A_PLUGIN', `${what} is not a Marathon plugin: it has no plugin.json at its root`);
  let first: string | undefined;
  if (pkg === undefined) first = found.packageJson === undefined ? 'it has no package.json' : 'its package.json is not an object';
  else if (manifest === undefined) first = 'its plugin.json is not an object';
  else if (pkg.version !== manifest.version)
    first = `package.json says version ${String(pkg.version)} but plugin.json says ${String(manifest.version)}`;
  else if (pkg.name !== manifest.name) first = `package.json is named '${String(pkg.name)}' but plugin.json '${String(manifest.name)}'`;
  else if (pkg.name !== requested.name || pkg.version !== requested.version)
    first = `it was fetched from the registry as ${what} but says it is ${shown(pkg)}`;
  if (first === undefined) return;
  throw new RegistryError(
    'NOT_A_PLUGIN',
    `${what} is not what was asked for: ${first}; the registry entry, package.json ` +
      `and plugin.json must name the same package and version (registry: ${what}, ` +
      `package.json: ${shown(pkg)}, plugin.json: ${shown(manifest)}); nothing was installed`,
  );
}

/** Reads a JSON file of an unpacked package: undefined when absent, the text's value otherwise. */
async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * assertPackageBinding for an unpacked npm package (its plugin root): to be called where an npm
 * tarball is unpacked, with the name asked for and the version the registry resolved.
 */
export async function checkPackageBinding(dir: string, requested: PackageIdentity): Promise<void> {
  assertPackageBinding(requested, {
    packageJson: await readJson(join(dir, 'package.json')),
    pluginJson: await readJson(join(dir, 'plugin.json')),
  });
}
