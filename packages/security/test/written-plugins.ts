// Plugins written by a test: a folder with plugin.json and an index.js whose commands are given as
// source text, loaded into a real SandboxHost like any installed plugin.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Permission } from '@marathon/plugin-api';
import type { SandboxHost, SandboxedPlugin } from '@marathon/security';
import { loadPlugin, type OperatorSettings } from './sandbox-helpers';

export interface GuestPluginSource {
  name: string;
  /** Each command's handler, as the text of a function expression `(ctx, args) => …`. */
  commands: Record<string, string>;
  permissions?: Permission[];
  /** Code run once when the module loads, before the plugin is defined. */
  prelude?: string;
  network?: { allowed_hosts: string[] };
  /** ctx.config and the per-plugin private-network switch, as the manager would pass them. */
  settings?: OperatorSettings;
}

/** Writes the plugin under `home` and loads it into `host`. */
export async function loadGuestPlugin(host: SandboxHost, home: string, source: GuestPluginSource): Promise<SandboxedPlugin> {
  const dir = join(home, 'plugins', source.name);
  mkdirSync(dir, { recursive: true });
  const manifest: Record<string, unknown> = {
    name: source.name,
    version: '1.0.0',
    description: 'a plugin written by a test',
    api_version: '1.0.0',
    permissions: source.permissions ?? [],
    commands: Object.keys(source.commands),
  };
  if (source.network !== undefined) manifest.network = source.network;
  writeFileSync(join(dir, 'plugin.json'), JSON.stringify(manifest));
  const commands = Object.entries(source.commands).map(([name, body]) => `    ${JSON.stringify(name)}: ${body},`);
  writeFileSync(
    join(dir, 'index.js'),
    [
      `import { definePlugin } from '@marathon/plugin-api';`,
      source.prelude ?? '',
      'export default definePlugin({',
      '  commands: {',
      ...commands,
      '  },',
      '});',
      '',
    ].join('\n'),
  );
  return loadPlugin(host, dir, home, undefined, source.settings);
}
