import { EventEmitter } from 'eventemitter3';
import type { HookType } from '@marathon/plugin-api';
import type { SandboxError } from '@marathon/security/sandbox';

/** What a host can observe of the plugin lifecycle. */
export interface ManagerEventMap {
  installed: [event: { plugin: string; version: string }];
  enabled: [event: { plugin: string; /** Enabled first because this plugin needed them. */ dependencies: string[] }];
  disabled: [event: { plugin: string }];
  loaded: [event: { plugin: string; load_ms: number; init_ms: number }];
  failed: [event: { plugin: string; reason: string }];
  /**
   * A hook call failed rather than the plugin returning a failed result (it threw, broke a limit,
   * returned something that is not a HookResult). `error.pluginStack` is where in the plugin's
   * code it threw, when it did: the plugin's text, to be escaped before it is printed.
   */
  hook_failed: [event: { plugin: string; hook: HookType; error: SandboxError }];
  /**
   * The plugin kept failing through its own fault (quarantine.ts): it is in the error state with
   * `reason`, off the bus and unloaded, until the operator enables it again.
   */
  quarantined: [event: { plugin: string; reason: string }];
  reloaded: [event: { plugin: string }];
  uninstalled: [event: { plugin: string }];
}

export class ManagerEvents extends EventEmitter<ManagerEventMap> {}
