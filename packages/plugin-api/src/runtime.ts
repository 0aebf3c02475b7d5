/*
 * The runtime half of @marathon/plugin-api: every value the package exports.
 *
 * This file is also what plugin code gets when it imports '@marathon/plugin-api' inside the
 * sandbox: the build emits it, types erased and otherwise unchanged, as `dist/runtime.mjs`, and the
 * sandbox loads that file as the only module a plugin may import besides its own files. So it must
 * stay one self-contained ES module: type-only imports, no Node APIs, no host globals.
 */
import type { Context, LogFields, LogLevel, PluginConfig } from './context';
import type { HookResult } from './hook-result';
import type { JsonValue } from './json';
import type { PluginDefinition } from './plugin-definition';

/** The plugin API this package provides. A plugin's `api_version` is compatible when this satisfies `^api_version`. */
export const API_VERSION = '1.0.0';

/** The seven permissions a plugin may request. */
export const Permission = Object.freeze({
  task_read: 'task_read',
  task_write: 'task_write',
  user_auth: 'user_auth',
  network: 'network',
  filesystem: 'filesystem',
  env_vars: 'env_vars',
  exec: 'exec',
} as const);
export type Permission = (typeof Permission)[keyof typeof Permission];

/** What each permission grants, in words an operator reads before consenting. */
export const PERMISSION_DESCRIPTIONS: Readonly<Record<Permission, string>> = Object.freeze({
  task_read: 'Read task data',
  task_write: 'Modify task data',
  user_auth: 'Access authentication data',
  network: 'Network access to the hosts it lists',
  filesystem: 'Read and write files in its own data folder',
  env_vars: 'Read the environment variables it lists',
  exec: 'Run the system commands it lists',
});

/** The ten hooks a plugin may handle. */
export const HookType = Object.freeze({
  pre_task_submit: 'pre_task_submit',
  post_task_submit: 'post_task_submit',
  pre_task_execute: 'pre_task_execute',
  post_task_execute: 'post_task_execute',
  user_auth: 'user_auth',
  user_authz: 'user_authz',
  cli_command: 'cli_command',
  config_validate: 'config_validate',
  plugin_install: 'plugin_install',
  plugin_uninstall: 'plugin_uninstall',
} as const);
export type HookType = (typeof HookType)[keyof typeof HookType];

export const HOOK_DESCRIPTIONS: Readonly<Record<HookType, string>> = Object.freeze({
  pre_task_submit: 'Before task submission',
  post_task_submit: 'After task submission',
  pre_task_execute: 'Before task execution',
  post_task_execute: 'After task execution',
  user_auth: 'During authentication',
  user_authz: 'During authorization',
  cli_command: 'Custom CLI commands',
  config_validate: 'Configuration validation',
  plugin_install: 'Plugin installation',
  plugin_uninstall: 'Plugin removal',
});

export const PERMISSIONS: readonly Permission[] = Object.freeze(Object.values(Permission));
export const HOOK_TYPES: readonly HookType[] = Object.freeze(Object.values(HookType));

/** Hooks whose failed result (or throw, timeout, broken limit) vetoes the operation. */
export const VETO_HOOK_TYPES: readonly HookType[] = Object.freeze([
  HookType.pre_task_submit,
  HookType.pre_task_execute,
  HookType.user_auth,
  HookType.user_authz,
  HookType.cli_command,
  HookType.config_validate,
]);

export interface ResourceLimits {
  /** Bytes of memory the plugin's engine may use. */
  max_memory: number;
  /** Total CPU time, in milliseconds, the plugin may use. */
  max_cpu_time_ms: number;
  /** Network connections open at once. */
  max_network_connections: number;
  /** Files open at once. */
  max_file_descriptors: number;
}

/** The default limits (docs/design.md, "The sandbox and ctx"). A manifest's `limits` may only lower them. */
export const DEFAULT_LIMITS: Readonly<ResourceLimits> = Object.freeze({
  max_memory: 64 * 1024 * 1024,
  max_cpu_time_ms: 10_000,
  max_network_connections: 10,
  max_file_descriptors: 20,
});

export type PluginApiErrorCode = 'INVALID_PLUGIN_DEFINITION' | 'INVALID_ARGUMENT';

/** A plugin used this API wrongly; the message names what to change. A TypeError, with a code. */
export class PluginApiError extends TypeError {
  override readonly name = 'PluginApiError';
  readonly code: PluginApiErrorCode;

  constructor(code: PluginApiErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const definitionError = (message: string) => new PluginApiError('INVALID_PLUGIN_DEFINITION', `definePlugin: ${message}`);

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(Permission, value);
}

export function isHookType(value: unknown): value is HookType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(HookType, value);
}

export function isVetoHook(hook: HookType): boolean {
  return VETO_HOOK_TYPES.includes(hook);
}

/** A successful result. */
export function success(message?: string, data?: JsonValue): HookResult {
  const result: HookResult = { success: true, continue_chain: true };
  if (message !== undefined) result.message = message;
  if (data !== undefined) result.result_data = data;
  return result;
}

/** A failed result. On a veto-capable hook, `message` is the reason the operation is refused. */
export function failure(message: string, data?: JsonValue): HookResult {
  if (typeof message !== 'string' || message.length === 0) {
    throw new PluginApiError('INVALID_ARGUMENT', 'failure(message): give the reason as a non-empty string; operators see it');
  }
  const result: HookResult = { success: false, message, continue_chain: true };
  if (data !== undefined) result.result_data = data;
  return result;
}

/** Whether ctx's plugin was granted `permission` (docs/design.md, "The sandbox and ctx"). */
export function hasPermission(ctx: Pick<Context, 'permissions'>, permission: Permission): boolean {
  return ctx.permissions.includes(permission);
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Structured logging through ctx (docs/design.md, "The sandbox and ctx"). */
export function log(ctx: Pick<Context, 'log'>, level: LogLevel, message: string, fields?: LogFields): void {
  if (!LOG_LEVELS.includes(level)) {
    throw new PluginApiError('INVALID_ARGUMENT', `log(): unknown level '${String(level)}'; use one of ${LOG_LEVELS.join(', ')}`);
  }
  ctx.log[level](message, fields);
}

const DEFINITION_KEYS = ['init', 'deinit', 'hooks', 'commands'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkHandlerTable(
  table: unknown,
  kind: 'hooks' | 'commands',
  isKnownName: (name: string) => boolean,
  expected: string,
): Record<string, unknown> {
  if (!isPlainObject(table)) {
    throw definitionError(`'${kind}' must be an object mapping names to functions`);
  }
  for (const [name, handler] of Object.entries(table)) {
    if (!isKnownName(name)) {
      throw definitionError(`unknown ${kind === 'hooks' ? 'hook' : 'command name'} '${name}'; ${expected}`);
    }
    if (typeof handler !== 'function') {
      throw definitionError(`${kind}.${name} must be a function, got ${typeof handler}`);
    }
  }
  return Object.freeze({ ...table });
}

/** The longest command name a plugin may declare or implement. */
export const MAX_COMMAND_NAME_LENGTH = 64;

/**
 * The command-name rule, written once: the manifest (and its JSON schema) and definePlugin ask it. Command
 * names become CLI words (`marathon hello-world greet`): lowercase letters, digits, - and _,
 * starting with a letter, at most MAX_COMMAND_NAME_LENGTH characters.
 */
export const COMMAND_NAME_PATTERN: RegExp = new RegExp(`^[a-z][a-z0-9_-]{0,${MAX_COMMAND_NAME_LENGTH - 1}}$`);

export function isCommandName(value: unknown): value is string {
  return typeof value === 'string' && COMMAND_NAME_PATTERN.test(value);
}

/**
 * Declares a plugin: its lifecycle functions, hook handlers and commands. Checks the shape at once,
 * so a mistake is a load error naming it rather than a failure on the first event. The type
 * parameter, when given, types `ctx.config` in every handler: `definePlugin<{ timeout_s: number }>({ … })`.
 */
export function definePlugin<C extends PluginConfig = PluginConfig>(definition: PluginDefinition<C>): PluginDefinition<C> {
  if (!isPlainObject(definition)) {
    throw definitionError('pass an object with init, deinit, hooks and commands');
  }
  for (const key of Object.keys(definition)) {
    if (!DEFINITION_KEYS.includes(key)) {
      throw definitionError(`unknown key '${key}'; a plugin has ${DEFINITION_KEYS.join(', ')}`);
    }
  }
  const result: PluginDefinition<C> = {};
  for (const key of ['init', 'deinit'] as const) {
    const fn: unknown = definition[key];
    if (fn === undefined) continue;
    if (typeof fn !== 'function') throw definitionError(`${key} must be a function, got ${typeof fn}`);
    result[key] = fn as PluginDefinition<C>['init'];
  }
  if (definition.hooks !== undefined) {
    result.hooks = checkHandlerTable(
      definition.hooks,
      'hooks',
      isHookType,
      `hooks are ${HOOK_TYPES.join(', ')}`,
    ) as PluginDefinition<C>['hooks'];
  }
  if (definition.commands !== undefined) {
    result.commands = checkHandlerTable(
      definition.commands,
      'commands',
      isCommandName,
      `command names are lowercase letters, digits, - and _, starting with a letter, at most ${MAX_COMMAND_NAME_LENGTH} characters`,
    ) as PluginDefinition<C>['commands'];
  }
  return Object.freeze(result);
}
