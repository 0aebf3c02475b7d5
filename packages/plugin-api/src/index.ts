export type { JsonPrimitive, JsonValue, JsonObject } from './json';
export type { HookResult } from './hook-result';
export { isHookResult, describeResultValue } from './hook-result';
export type {
  Task,
  TaskResult,
  TaskEvent,
  UserAuthEvent,
  UserAuthzEvent,
  CliCommandEvent,
  ConfigValidateEvent,
  PluginLifecycleEvent,
  HookEventMap,
} from './events';
export type {
  Context,
  PluginConfig,
  LogLevel,
  LogFields,
  PluginLogger,
  PluginStorage,
  FileStat,
  PluginFileSystem,
  FetchInit,
  FetchResponse,
  PluginNetwork,
  PluginEnv,
  ExecOptions,
  ExecResult,
  PluginExec,
  PluginCrypto,
  HashAlgorithm,
  DigestEncoding,
  CryptoInput,
} from './context';
export type { HookHandler, HookHandlers, CommandHandler, CommandOutput, PluginDefinition } from './plugin-definition';
export {
  API_VERSION,
  Permission,
  PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  HookType,
  HOOK_TYPES,
  HOOK_DESCRIPTIONS,
  VETO_HOOK_TYPES,
  DEFAULT_LIMITS,
  isPermission,
  isHookType,
  isVetoHook,
  isCommandName,
  COMMAND_NAME_PATTERN,
  MAX_COMMAND_NAME_LENGTH,
  success,
  failure,
  hasPermission,
  log,
  definePlugin,
  PluginApiError,
} from './runtime';
export type { ResourceLimits, PluginApiErrorCode } from './runtime';
export { ChainAction, chainAction, isEventData } from './chain-rules';
export { AUTHOR_PRIORITY_RANGE, OPERATOR_PRIORITY_RANGE, isPriorityIn } from './hook-priority';
export { MarathonError } from './marathon-error';
export type { MarathonErrorLike, MarathonErrorJson, MarathonErrorOptions } from './marathon-error';
