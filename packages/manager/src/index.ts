export { PluginManager } from './plugin-manager';
export type { PluginManagerOptions } from './manager-options';
export type { PluginInfo } from './history-queries';
export type { RefreshResult } from './integrity-refresh';
export type { RepairResult } from './plugin-repair';
export { repairHint } from './repair-source';
export type { InstallOptions, InstallResult, InstalledDependency } from './install-contract';
export type { TrustChangeOptions } from './trust-change';
export { ManagerError } from './errors';
export type { ManagerErrorCode } from './errors';
export { ManagerEvents } from './manager-events';
export type { ManagerEventMap } from './manager-events';
export { UNPROMPTED_PERMISSIONS, needsConsent } from './consent-rules';
export { enableOrder, dependentsOf } from './dependency-graph';
export type { PluginTimings } from './plugin-runtime';
export type { AvailableUpdate } from './update-finder';
export { permissionChanges } from './consent-rules';
export type { PermissionChanges } from './consent-rules';
export {
  LOCKFILE_NAME,
  LOCKFILE_VERSION,
  MAX_LOCKFILE_BYTES,
  MAX_LOCKFILE_PLUGINS,
  contentIntegrity,
  lockfileOf,
  parseLockfile,
  readLockfile,
} from './fleet-lock';
export type { LockEntry, Lockfile } from './fleet-lock';
export { planSync } from './fleet-sync';
export type { SyncAction, SyncStep } from './fleet-sync';
export type { HookPriority } from './priority-overrides';
export type { PluginSettings } from './plugin-settings';
export type { AuthorityChange, AuthorityConsent, AuthorityKey, AuthorityRow, PluginAuthority } from './plugin-authority';
export { PERFORMANCE_WINDOW_MS } from './performance-report';
export type { HookPerformance, PerformanceReport, PluginPerformance, RecentPerformance } from './performance-report';
export type { PersistedUsage, UsageSample } from './plugin-usage';
export { PluginBisect } from './plugin-bisect';
export type { BisectAnswer, BisectRestore, BisectRound, BisectStep, BisectVerdict } from './plugin-bisect';
export { BisectError } from './bisect-error';
export type { BisectErrorCode } from './bisect-error';
export type { QuarantineOptions } from './quarantine';
