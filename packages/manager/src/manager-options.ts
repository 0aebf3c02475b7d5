// The host's knobs for a PluginManager: where its home is, what it runs plugins with, and what it
// is told as it works; a type of its own so the manager's operations can be read apart from it.
import type { HookBus } from '@marathon/events';
import type { NpmClient } from '@marathon/registry';
import type { LogEntry } from '@marathon/security';
import type { QuarantineOptions } from './quarantine';

export interface PluginManagerOptions {
  /** MARATHON_HOME; default $MARATHON_HOME or ~/.marathon. */
  home?: string;
  /** Folders of plugins that ship with the host (the CLI's examples), searched first. */
  builtInPlugins?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The host's hook bus; a new one by default. */
  bus?: HookBus;
  /** Sandbox worker threads. Default 1. */
  workers?: number;
  /** How long a plugin's init may take. Default 10 s. */
  initTimeoutMs?: number;
  npm?: NpmClient;
  /** Plugin names the host keeps for its own commands (refused at install). */
  reservedNames?: readonly string[];
  /** Told when another process holds MARATHON_HOME and this one waits. */
  onWait?: (message: string) => void;
  /** How long to wait for another process before failing with LOCK_TIMEOUT; default $MARATHON_LOCK_TIMEOUT_MS, else 60 s. */
  lockTimeoutMs?: number;
  /** Plugin log lines as they arrive (they are also kept in MARATHON_HOME/history). */
  onLog?: (entry: LogEntry) => void;
  /**
   * How long history, metrics, audit and logs may wait before they are written to
   * MARATHON_HOME/history: writes are batched, and close() writes what is left. 0 writes after
   * every dispatch and command. Default 1000 ms.
   */
  historyWriteMs?: number;
  /**
   * When a plugin that keeps failing is quarantined (put in error, off the bus): each key given
   * replaces config.json's `quarantine` key of the same meaning. Default 5 faults or 3 broken limits in 60 s.
   */
  quarantine?: QuarantineOptions;
}
