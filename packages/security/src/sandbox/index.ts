// @marathon/security/sandbox: running plugin code — the QuickJS engines in worker threads, the
// capabilities behind ctx, their audit trail and the sandbox's errors. Nothing here loads the
// install-time gate (acorn, tar, zod), so a host that only runs plugins never pays for the scanner.
export { SandboxHost } from './sandbox-host';
export { SandboxedPlugin } from './sandboxed-plugin';
export { prewarmSandboxWorker } from './prewarm';
export type { SandboxHostOptions, SandboxPolicy, PluginSource, HookCallResult, CommandResult } from './sandbox-options';
export { MAX_PLUGIN_CONFIG_BYTES } from './plugin-config';
export { effectiveLimits, DEFAULT_CALL_LIMITS, ENGINE_MIN_MEMORY } from './limits';
export type { CallLimits, EffectiveLimits, OperatorLimits } from './limits';
export type { LogEntry, PluginUsage } from './protocol';
export { filterEvent, mayWrite } from './event-filter';
export { AuditTrail } from '../audit-trail';
export type { AuditEntry, AuditQuery } from '../audit-trail';
export { SandboxError } from '../errors';
export type { CapabilityStubs, FetchStub, ExecStub } from '../capabilities/capability-stubs';
export type { SandboxErrorCode } from '../errors';
export { hostAllowed } from '../capabilities/host-allowlist';
export { isPrivateAddress } from '../capabilities/address-guard';
