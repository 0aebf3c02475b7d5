import { EventEmitter } from 'eventemitter3';
import type { HookType } from '@marathon/plugin-api';
import type { HandlerFault } from './types';

/**
 * What a host can observe without touching dispatch. The manager emits the plugin events; the bus
 * emits the hook events.
 */
export interface LifecycleEventMap {
  'plugin:loaded': [event: { plugin: string; version: string }];
  'plugin:enabled': [event: { plugin: string }];
  'plugin:disabled': [event: { plugin: string }];
  'plugin:failed': [event: { plugin: string; reason: string }];
  /** A handler took longer than the bus's slowHandlerMs (measured while history or metrics are on). */
  'hook:slow': [event: { plugin: string; hook: HookType; duration_ns: number; threshold_ms: number }];
  /** A handler threw, timed out or returned something that is not a HookResult. */
  'hook:fault': [event: { plugin: string; hook: HookType; fault: HandlerFault; message: string }];
}

export class LifecycleEvents extends EventEmitter<LifecycleEventMap> {}
