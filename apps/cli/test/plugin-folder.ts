// Writes real plugin folders (plugin.json + index.js) for the CLI to install.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from './marathon-binary';

export interface PluginFolder {
  name: string;
  permissions?: string[];
  hooks?: string[];
  commands?: Array<{ name: string; description?: string; usage?: string }>;
  /** Further manifest fields (network, exec, …). */
  manifest?: Record<string, unknown>;
  /** The object literal passed to definePlugin. */
  body: string;
}

export function writePluginFolder(parent: string, spec: PluginFolder): string {
  const dir = join(parent, spec.name);
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: spec.name,
    version: '1.0.0',
    description: `The ${spec.name} test plugin`,
    api_version: '1.0.0',
    permissions: spec.permissions ?? [],
    hooks: spec.hooks ?? [],
    commands: spec.commands ?? [],
    ...spec.manifest,
  };
  writeFileSync(join(dir, 'plugin.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin, success, failure } from '@marathon/plugin-api';\nexport default definePlugin(${spec.body});\n`,
  );
  return dir;
}

/**
 * Writes the plugin folder and installs it, enabled, its permissions accepted (--yes): a set-up
 * step, run through the built CLI in the file's driver process (Workspace.prepare).
 */
export async function installPluginFolder(ws: Pick<Workspace, 'plugins' | 'prepare'>, spec: PluginFolder): Promise<string> {
  const dir = writePluginFolder(ws.plugins, spec);
  await ws.prepare(['plugin', 'install', dir, '--yes', '--enable']);
  return dir;
}
