// Messages between the SandboxHost (main thread) and its workers. Everything here is structured-
// clone data; JSON that came from a guest travels as strings until the host parses it safely.
import type { JsonValue, Permission, PluginConfig } from '@marathon/plugin-api';
import type { SandboxErrorCode } from '../errors';
import type { AuditEntry } from '../audit-trail';
import type { EffectiveLimits } from './limits';

/** What a worker needs to run a plugin. Only the environment variables the plugin may read travel here. */
import type { CapabilityStubs } from '../capabilities/capability-stubs';
import type { ExecPin } from '../capabilities/exec-pins';

export interface WorkerPluginSpec {
  /** The host's id for this plugin instance (a reload gets a new one). */
  key: number;
  name: string;
  version: string;
  /** Real path of the plugin folder. */
  dir: string;
  /** The main module, relative to `dir`. */
  main: string;
  /** The plugin's data folder (ctx.fs), created by the host. */
  dataDir: string;
  /** The plugin's key-value store file (ctx.storage). */
  storageFile: string;
  permissions: Permission[];
  allowedHosts: string[];
  /** env_vars.allowed. */
  envAllowed: string[];
  /** The values of those that are set on the host. */
  env: Record<string, string>;
  allowedCommands: string[];
  /** The allowed commands pinned to argument prefixes; the others take any arguments. */
  execPins?: ExecPin[];
  limits: EffectiveLimits;
  /** Whether ctx.net.fetch may reach loopback, link-local and private addresses. */
  allowPrivateNetwork: boolean;
  /** allowPrivateNetwork is the plugin's own setting (PluginSource), not the policy's: a refusal says which. */
  privateNetworkSetByPlugin?: boolean;
  /** ctx.config: the plugin's checked settings, `{}` when none (plugin-config.ts). */
  config: Record<string, PluginConfig[string]>;
  /** Host names resolved to these addresses instead of through DNS (like curl --resolve). */
  resolve?: Record<string, string>;
  /** Test doubles for fetch and exec (plugin tests only). */
  stubs?: CapabilityStubs;
}

export type CallKind = 'hook' | 'command' | 'init' | 'deinit';

export interface CallRequest {
  key: number;
  kind: CallKind;
  /** The hook or command name; the kind again for init and deinit. */
  name: string;
  /** JSON of the argument: the hook's event, or the command's args. */
  payload: string;
  /** Hook calls only: whether a successful result's result_data replaces the event for the next call. */
  canWrite?: boolean;
  /** This call's wall-time deadline in ms instead of the plugin's call_deadline_ms (init runs under the host's init timeout). */
  deadlineMs?: number;
}

/** Hook chain rules for a batch, as @marathon/events applies them. */
export interface ChainRules {
  /** A failed result ends the batch (pre_* hooks, user_auth, user_authz, cli_command, config_validate). */
  veto: boolean;
}

/** A failed call; `notRun` when it never started: an earlier call queued before it broke a limit and its instance was dropped. */
export interface FailedCall {
  ok: false;
  code: SandboxErrorCode;
  message: string;
  durationNs: number;
  notRun?: true;
  /** HANDLER_FAILED: the plugin's frames where it threw, "at greet (index.js:4:18)" a line (guest-stack.ts); plugin-controlled text. */
  stack?: string;
}

export type CallResult =
  | { ok: true; /** JSON of the value returned; undefined when it returned nothing. */ json: string | undefined; durationNs: number }
  | FailedCall;

/**
 * A call's result as the host receives it. The worker splices each value's JSON text into the
 * reply's text as it is, so the host parses every value once, with the reply.
 */
export type ReceivedResult =
  { ok: true; /** Absent when the handler returned nothing. */ value?: JsonValue; durationNs: number } | FailedCall;

export interface LogEntry {
  plugin: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: string;
  time: number;
}

export interface PluginUsage {
  /** Bytes of the plugin's WebAssembly memory (its engine and heap). */
  memory_bytes: number;
  /** CPU time the current instance has used, in ms. */
  cpu_time_ms: number;
  open_files: number;
  open_connections: number;
  calls: number;
}

export type MainToWorker =
  | { type: 'load'; id: number; spec: WorkerPluginSpec }
  | { type: 'call'; id: number; calls: CallRequest[]; chain: ChainRules | null }
  | { type: 'unload'; id: number; key: number }
  | { type: 'usage'; id: number; key: number };

export type WorkerToMain =
  | {
      type: 'reply';
      id: number;
      /** call: one result per call that ran, in order. */
      results?: ReceivedResult[];
      error?: { code: SandboxErrorCode; message: string };
      usage?: PluginUsage;
      /** load: the hooks and commands the plugin's code implements. */
      described?: { hooks: string[]; commands: string[] };
      /** Instances the worker dropped while serving this request, with why (a broken limit). */
      dropped: Array<{ key: number; code: SandboxErrorCode; message: string }>;
      audit: AuditEntry[];
      logs: LogEntry[];
    }
  /** Denied capability calls, sent the moment they are denied. */
  | { type: 'audit'; entries: AuditEntry[] }
  | { type: 'ready' };
