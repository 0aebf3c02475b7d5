// The operator's settings of a plugin (`marathon plugin config`): the values of what its plugin.json
// declares under `configuration`, checked against the declaration, offered to config_validate
// handlers (which may refuse a combination), kept in state.json beside the installed records
// (@marathon/registry's operator-settings.ts) and given to the plugin as ctx.config at its next
// load — a plugin loaded in this process is reloaded at once. A secret is kept and shown as the
// `${NAME}` reference the operator gave; only the sandbox sees its value, resolved from the
// environment at load.
import {
  checkSettingValue,
  effectiveSettings,
  unknownSettingMessage,
  type SettingDeclaration,
  type SettingValue,
  type SettingView,
} from '@marathon/manifest';
import { ownEntry, type InstalledPlugin, type InstalledState, type StoredSettingValue } from '@marathon/registry';
import { ManagerError } from './errors';
import type { ManagerParts } from './manager-parts';
import { notInstalled } from './not-installed';
import { updateOperator } from './operator-entry';
import type { LockOperator } from './fleet-sync';
import { lockAuthorityProblems } from './plugin-authority';
import { applyPriorityOverride } from './priority-overrides';
import { dispatchHook } from './plugin-calls';

export interface PluginSettings {
  plugin: string;
  /** Every declared setting: its declaration, where its value comes from, and how to show it. */
  settings: SettingView[];
  /** Keys the operator set that the installed version no longer declares (ignored until declared again). */
  undeclared: string[];
}

type SettingsParts = Pick<ManagerParts, 'store' | 'runtime' | 'history' | 'bus' | 'historyWriteMs'> & {
  env: Readonly<Record<string, string | undefined>>;
};

/** The operator's stored values for `name` (none: an empty table). */
export function operatorValues(state: InstalledState, name: string): Record<string, StoredSettingValue> {
  return ownEntry(state.operator ?? {}, name)?.settings ?? {};
}

/** What the plugin sees as ctx.config: defaults and the operator's values, secrets resolved from `env`. */
export function pluginConfig(
  record: InstalledPlugin,
  values: Readonly<Record<string, StoredSettingValue>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, SettingValue> {
  return effectiveSettings(record.manifest.configuration, values, env).config;
}

function view(
  record: InstalledPlugin,
  values: Readonly<Record<string, StoredSettingValue>>,
  env: Readonly<Record<string, string | undefined>>,
): PluginSettings {
  const declared = record.manifest.configuration ?? {};
  return {
    plugin: record.name,
    settings: effectiveSettings(declared, values, env).view,
    undeclared: Object.keys(values).filter((key) => !Object.hasOwn(declared, key)),
  };
}

async function installed(
  parts: SettingsParts,
  name: string,
): Promise<{ record: InstalledPlugin; values: Record<string, StoredSettingValue> }> {
  const state = await parts.store.read();
  const record = ownEntry(state.plugins, name);
  if (record === undefined) throw await notInstalled(parts.store, name);
  return { record, values: operatorValues(state, name) };
}

/** A plugin's settings (only `key`'s when given: SETTING_UNKNOWN if it declares none such), as `marathon plugin config` shows them. */
export async function showSettings(parts: SettingsParts, name: string, key?: string): Promise<PluginSettings> {
  const { record, values } = await installed(parts, name);
  const shown = view(record, values, parts.env);
  if (key === undefined) return shown;
  declarationOf(record, key);
  return { ...shown, settings: shown.settings.filter((row) => row.key === key) };
}

function declarationOf(record: InstalledPlugin, key: string): SettingDeclaration {
  const declared = record.manifest.configuration ?? {};
  const declaration = Object.hasOwn(declared, key) ? declared[key] : undefined;
  if (declaration === undefined) throw new ManagerError('SETTING_UNKNOWN', unknownSettingMessage(record.name, key, Object.keys(declared)));
  return declaration;
}

/** The values as config_validate handlers see them: a secret as its reference, never its value. */
function offered(record: InstalledPlugin, values: Readonly<Record<string, StoredSettingValue>>): Record<string, StoredSettingValue> {
  const declared = record.manifest.configuration ?? {};
  return Object.fromEntries(Object.entries(values).filter(([key]) => Object.hasOwn(declared, key)));
}

/**
 * Sets (`value` given) or unsets (undefined) one setting of `name`. The value is checked against
 * the declaration, then config_validate fires with the plugin's settings as they would be; a
 * failed result refuses the change and nothing is written. Returns the settings after the change.
 */
export async function changeSetting(parts: SettingsParts, name: string, key: string, value: unknown): Promise<PluginSettings> {
  const { record, values } = await installed(parts, name);
  const declaration = declarationOf(record, key);
  const next: Record<string, StoredSettingValue> = { ...values };
  if (value === undefined) delete next[key];
  else {
    const problem = checkSettingValue(name, key, declaration, value);
    if (problem !== undefined) throw new ManagerError('SETTING_INVALID', problem);
    next[key] = value as StoredSettingValue;
  }
  const outcome = await dispatchHook(parts, 'config_validate', { config: { plugin: name, settings: offered(record, next) } });
  if (outcome.vetoed) {
    // The reason names the plugin that refused ("plugin 'x' vetoed config_validate: …").
    throw new ManagerError('SETTING_REFUSED', `the new settings of '${name}' were refused: ${outcome.vetoReason ?? 'no reason given'}`);
  }
  await parts.store.transaction(async (state) => {
    if (ownEntry(state.plugins, name) === undefined) throw await notInstalled(parts.store, name);
    writeValues(state, name, next);
  });
  await parts.runtime.reload(name);
  return view(record, next, parts.env);
}

/** Replaces the operator's setting values of `name` in `state` (its authority changes stay). */
export function writeValues(state: InstalledState, name: string, values: Readonly<Record<string, StoredSettingValue>>): void {
  updateOperator(state, name, (entry) => {
    entry.settings = { ...values };
  });
}

/**
 * What a sync brings the operator's part of (fleet-sync.ts): each plugin's settings and authority
 * become exactly the lockfile's, in one commit, after every value was checked against what the
 * installed version declares and was granted — one that does not fit refuses them all, before
 * anything is written (the lockfile is the consent: widening asks nothing). Plugins loaded here
 * are reloaded.
 */
export async function applyLockOperator(parts: SettingsParts, lock: Readonly<Record<string, LockOperator>>): Promise<void> {
  const state = await parts.store.read();
  const problems: string[] = [];
  for (const [name, { operator: entry, priorities }] of Object.entries(lock)) {
    const record = ownEntry(state.plugins, name);
    if (record === undefined) continue;
    const declared = record.manifest.configuration ?? {};
    for (const [key, value] of Object.entries(entry.settings ?? {})) {
      const declaration = Object.hasOwn(declared, key) ? declared[key] : undefined;
      const problem =
        declaration === undefined
          ? `${unknownSettingMessage(name, key, Object.keys(declared))} (its version ${record.version})`
          : checkSettingValue(name, key, declaration, value);
      if (problem !== undefined) problems.push(problem);
    }
    problems.push(...lockAuthorityProblems(record, entry.authority ?? {}));
    const trial = structuredClone(record);
    for (const [hook, priority] of Object.entries(priorities)) {
      try {
        applyPriorityOverride(trial, hook, priority);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  if (problems.length > 0)
    throw new ManagerError('SETTING_INVALID', 'the lockfile holds operator settings this host cannot apply:', problems);
  const changed: string[] = [];
  const moved: InstalledPlugin[] = [];
  await parts.store.transaction(async (current) => {
    for (const [name, { operator: entry, priorities }] of Object.entries(lock)) {
      const record = ownEntry(current.plugins, name);
      if (record === undefined) continue;
      if (JSON.stringify(ownEntry(current.operator ?? {}, name) ?? {}) !== JSON.stringify(entry)) changed.push(name);
      updateOperator(current, name, (stored) => {
        stored.settings = { ...(entry.settings ?? {}) };
        stored.authority = { ...(entry.authority ?? {}) };
      });
      if (JSON.stringify(record.priorities ?? {}) !== JSON.stringify(priorities)) {
        if (Object.keys(priorities).length === 0) delete record.priorities;
        else record.priorities = { ...priorities };
        moved.push(record);
      }
    }
  });
  // Handlers move to their new priority at once (an enabled plugin's registrations are remade).
  for (const record of moved) if (record.status === 'enabled') parts.runtime.activate(record);
  for (const name of changed) await parts.runtime.reload(name);
}
