// What a PluginManager's operations share (its home, state, bus, history, runtime, installer): each
// operation module takes the parts it needs, so the manager itself stays a small coordinator.
import type { HookBus } from '@marathon/events';
import type { MarathonHome, StateStore } from '@marathon/registry';
import type { HistoryStore } from './history-store';
import type { Installer } from './installer';
import type { ManagerEvents } from './manager-events';
import type { PluginRuntime } from './plugin-runtime';

export interface ManagerParts {
  home: MarathonHome;
  store: StateStore;
  bus: HookBus;
  events: ManagerEvents;
  history: HistoryStore;
  /** How long history writes may wait (PluginManagerOptions.historyWriteMs). */
  historyWriteMs: number;
  runtime: PluginRuntime;
  installer: Installer;
}
