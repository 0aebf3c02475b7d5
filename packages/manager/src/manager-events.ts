import { EventEmitter } from 'eventemitter3';

/** What a host can observe of the plugin lifecycle. */
export interface ManagerEventMap {
  installed: [event: { plugin: string; version: string }];
  enabled: [event: { plugin: string; /** Enabled first because this plugin needed them. */ dependencies: string[] }];
  disabled: [event: { plugin: string }];
  loaded: [event: { plugin: string; load_ms: number; init_ms: number }];
  failed: [event: { plugin: string; reason: string }];
  reloaded: [event: { plugin: string }];
  uninstalled: [event: { plugin: string }];
}

export class ManagerEvents extends EventEmitter<ManagerEventMap> {}
