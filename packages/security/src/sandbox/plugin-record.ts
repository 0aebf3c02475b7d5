// The host's record of one loaded plugin: what its instances are made from (the worker's spec),
// which worker holds its current instance under which key, and what a reload must repeat (init,
// with the deadline it ran under). A record outlives its instances: a breach or a lost worker only
// forgets the instance, and the next call loads a new one from the same record.
import { realpath } from 'node:fs/promises';
import type { Manifest } from '@marathon/manifest';
import { allowedCommandsOf, execPinsOf } from '../capabilities/exec-pins';
import type { EffectiveLimits } from './limits';
import { pluginConfigOf } from './plugin-config';
import type { WorkerPluginSpec } from './protocol';
import type { SandboxWorker } from './sandbox-worker';
import type { PluginSource, SandboxHostOptions } from './sandbox-options';

export interface PluginRecord {
  name: string;
  manifest: Manifest;
  spec: Omit<WorkerPluginSpec, 'key'>;
  key: number;
  worker: SandboxWorker | undefined;
  /** init ran on the current instance's predecessors: a reload runs it again. */
  initialized: boolean;
  /** The deadline init ran under, so that a reload's init gets the same one. */
  initDeadlineMs?: number;
  breaches: number;
  unloaded: boolean;
}

/** A record for a plugin not yet in any worker; `source.dataDir` must exist (realpath). Refuses a bad `source.config` (LOAD_FAILED). */
export async function newPluginRecord(source: PluginSource, options: SandboxHostOptions, limits: EffectiveLimits): Promise<PluginRecord> {
  const { manifest } = source;
  const env = options.env ?? process.env;
  const envAllowed = manifest.env_vars?.allowed ?? [];
  return {
    name: manifest.name,
    manifest,
    key: 0,
    worker: undefined,
    initialized: false,
    breaches: 0,
    unloaded: false,
    spec: {
      name: manifest.name,
      version: manifest.version,
      dir: await realpath(source.dir),
      main: manifest.main,
      dataDir: await realpath(source.dataDir),
      storageFile: source.storageFile,
      permissions: [...manifest.permissions],
      allowedHosts: [...(manifest.network?.allowed_hosts ?? [])],
      envAllowed: [...envAllowed],
      env: Object.fromEntries(envAllowed.filter((name) => typeof env[name] === 'string').map((name) => [name, env[name]!])),
      allowedCommands: allowedCommandsOf(manifest),
      execPins: execPinsOf(manifest),
      limits,
      allowPrivateNetwork: source.allowPrivateNetwork ?? options.policy?.allowPrivateNetwork === true,
      ...(source.allowPrivateNetwork === undefined ? {} : { privateNetworkSetByPlugin: true }),
      config: pluginConfigOf(manifest.name, source.config),
      ...(options.policy?.resolve === undefined ? {} : { resolve: { ...options.policy.resolve } }),
      ...(options.stubs === undefined ? {} : { stubs: options.stubs }),
    },
  };
}

function sameNames(declared: readonly string[], implemented: readonly string[]): { missing: string[]; extra: string[] } {
  return {
    missing: declared.filter((name) => !implemented.includes(name)),
    extra: implemented.filter((name) => !declared.includes(name)),
  };
}

/** Where the code's hooks and commands differ from what the manifest declares; empty when they match. */
export function manifestMismatches(manifest: Manifest, described: { hooks: string[]; commands: string[] }): string[] {
  const hooks = sameNames(
    manifest.hooks.map((hook) => hook.name),
    described.hooks,
  );
  const commands = sameNames(
    manifest.commands.map((command) => command.name),
    described.commands,
  );
  return [
    ...hooks.missing.map((name) => `plugin.json declares hook '${name}' but the code does not implement it`),
    ...hooks.extra.map((name) => `the code implements hook '${name}' that plugin.json does not declare`),
    ...commands.missing.map((name) => `plugin.json declares command '${name}' but the code does not implement it`),
    ...commands.extra.map((name) => `the code implements command '${name}' that plugin.json does not declare`),
  ];
}
