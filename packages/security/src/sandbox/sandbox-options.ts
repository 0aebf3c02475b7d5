// What a SandboxHost is given (its options and the policy over every plugin's limits), what loading
// a plugin takes (PluginSource), and what a hook call and a command answer.
import type { HookResult, PluginConfig, ResourceLimits } from '@marathon/plugin-api';
import type { Manifest } from '@marathon/manifest';
import type { AuditEntry } from '../audit-trail';
import type { CapabilityStubs } from '../capabilities/capability-stubs';
import type { SandboxError, SandboxErrorCode } from '../errors';
import type { CallLimits, OperatorLimits } from './limits';
import type { LogEntry } from './protocol';

export interface SandboxPolicy {
  /** Raise or lower the defaults (docs/design.md, "The sandbox and ctx": 64 MiB, 10 s CPU, 10 connections, 20 files; 5 s per call). */
  limits?: Partial<ResourceLimits & CallLimits>;
  /** Let ctx.net.fetch reach loopback, link-local and private addresses. Default false (SSRF). */
  allowPrivateNetwork?: boolean;
  /**
   * Host names resolved to these addresses instead of through DNS, like curl's --resolve: a test
   * points a plugin's allowed host at a local server. Allowlist and private-address checks still apply.
   */
  resolve?: Readonly<Record<string, string>>;
}

export interface SandboxHostOptions {
  /** Worker threads to spread plugins over. Default 1. */
  workers?: number;
  policy?: SandboxPolicy;
  /** Where env_vars values come from. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Entries the in-memory audit trail keeps. Default 5000. */
  auditCapacity?: number;
  onAudit?: (entry: AuditEntry) => void;
  onLog?: (entry: LogEntry) => void;
  /**
   * Test doubles for ctx.net.fetch and ctx.exec (@marathon/plugin-testing): permissions and
   * allowlists are checked as always, then the stub answers instead of the network or a program.
   */
  stubs?: CapabilityStubs;
  /** A plugin broke a limit (its instance is gone) or lost its worker. */
  onBreach?: (event: { plugin: string; code: SandboxErrorCode; message: string }) => void;
}

export interface PluginSource {
  /** The plugin folder (its plugin.json and code). */
  dir: string;
  manifest: Manifest;
  /** The plugin's data folder for ctx.fs; created when missing. */
  dataDir: string;
  /** The file ctx.storage keeps its values in. */
  storageFile: string;
  /** The operator's limits for this plugin, applied over the policy's and the manifest's (limits.ts). */
  limits?: OperatorLimits;
  /**
   * The plugin's settings, which it reads as ctx.config (deep-frozen; `{}` when omitted). At most
   * 64 KiB as JSON (MAX_PLUGIN_CONFIG_BYTES); more, or a value of another type, fails the load with LOAD_FAILED.
   */
  config?: PluginConfig;
  /** Whether ctx.net.fetch may reach private addresses, for this plugin only: replaces the policy's allowPrivateNetwork when set. */
  allowPrivateNetwork?: boolean;
}

export interface HookCallResult {
  /** Always a HookResult: failures (throws, broken limits, bad values) are failed results saying why. */
  result: HookResult;
  /** Set when the call itself failed rather than the plugin returning a failed result. */
  error?: SandboxError;
  durationNs: number;
}

export type CommandResult = { ok: true; output?: string } | { ok: false; error: SandboxError };
