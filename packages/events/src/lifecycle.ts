import { EventEmitter } from 'eventemitter3';
import type { HookType } from '@marathon/plugin-api';
import type { HandlerFault } from './types';

/**
 * What a host can observe of dispatch without touching it: the bus emits these as handlers run.
 * The plugin lifecycle (installed, enabled, loaded, failed, …) is not here: the manager owns it and
 * is the one that emits it, on `manager.events` (ManagerEventMap in @marathon/manager).
 */
export interface LifecycleEventMap {
  /** A handler took longer than the bus's slowHandlerMs (measured while history or metrics are on). */
  'hook:slow': [event: { plugin: string; hook: HookType; duration_ns: number; threshold_ms: number }];
  /** A handler threw, timed out or returned something that is not a HookResult. */
  'hook:fault': [event: { plugin: string; hook: HookType; fault: HandlerFault; message: string }];
}

export class LifecycleEvents extends EventEmitter<LifecycleEventMap> {}
