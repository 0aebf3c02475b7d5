// A plugin's settings (PluginSource.config) on their way to ctx.config: checked on the host to be
// what ctx.config may hold, copied (so a later change to the caller's object is not seen), and
// bounded, since the text crosses into every engine the plugin gets, at each load and reload.
import type { PluginConfig } from '@marathon/plugin-api';
import { SandboxError } from '../errors';

/** Bytes of JSON (UTF-8) a plugin's settings may take. */
export const MAX_PLUGIN_CONFIG_BYTES = 64 * 1024;

type Setting = PluginConfig[string];

function isSetting(value: unknown): value is Setting {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The settings as the plugin's engine receives them: a plain copy, `{}` when none were given. Refuses what ctx.config cannot hold. */
export function pluginConfigOf(plugin: string, config: PluginConfig | undefined): Record<string, Setting> {
  if (config === undefined) return {};
  const refuse = (message: string) => new SandboxError('LOAD_FAILED', plugin, `plugin '${plugin}': ${message}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw refuse('its configuration must be an object of settings');
  }
  const copy: Record<string, Setting> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!isSetting(value)) {
      throw refuse(`configuration '${key}' must be a string, a finite number, a boolean or a list of strings`);
    }
    // defineProperty: a key named __proto__ stays an own setting rather than a prototype.
    Object.defineProperty(copy, key, {
      value: Array.isArray(value) ? [...value] : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const bytes = Buffer.byteLength(JSON.stringify(copy), 'utf8');
  if (bytes > MAX_PLUGIN_CONFIG_BYTES) {
    throw refuse(
      `its configuration is ${bytes} bytes as JSON, over the ${MAX_PLUGIN_CONFIG_BYTES} bytes (64 KiB) a plugin may be given; ` +
        'shorten or remove the largest values (marathon plugin config)',
    );
  }
  return copy;
}
