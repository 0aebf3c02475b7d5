import type { JsonObject } from './json';

/** A task as Marathon submits and runs it. */
export interface Task {
  id: string;
  name: string;
  command: string;
  args: string[];
  submitted_by: string;
  /** ISO 8601 timestamp. */
  submitted_at: string;
  /**
   * Stop the task after this many milliseconds (the host kills it and reports exit code 124, like
   * `timeout`). Absent: no limit. A pre_task_submit plugin with task_write may set it.
   */
  timeout_ms?: number;
}

/** How a task ended; present in post_task_execute events. */
export interface TaskResult {
  exit_code: number;
  duration_ms: number;
}

/**
 * Event of the four task hooks. The plugin sees task data only with the task_read permission, and
 * its changes to the task count only with task_write.
 */
export interface TaskEvent {
  task: Task;
  result?: TaskResult;
}

/** user_auth: someone is signing in. `credentials` are present only with the user_auth permission. */
export interface UserAuthEvent {
  username: string;
  method: string;
  credentials?: Readonly<Record<string, string>>;
}

/** user_authz: may this user perform this action on this resource? */
export interface UserAuthzEvent {
  username: string;
  action: string;
  resource: string;
}

/**
 * cli_command: a CLI command is about to run; a failed result refuses it. `command` is its id,
 * e.g. `task:run` or `hello-world:greet`.
 *
 * Not fired for the commands an operator needs to recover from a plugin, which no plugin can
 * refuse or hear of: `plugin list|info|events|audit|verify|install|update|sync|enable|disable|
 * uninstall|priority`, every `keys` command, `help`, `commands`, `version` and `config validate`.
 */
export interface CliCommandEvent {
  command: string;
  /**
   * The command line after the command (a task's own command line, secrets and all). Present only
   * with the task_read permission; left out otherwise.
   */
  args?: string[];
}

/** config_validate: a configuration is about to be accepted; a failed result refuses it. */
export interface ConfigValidateEvent {
  config: JsonObject;
}

/** plugin_install / plugin_uninstall: another plugin is being installed or removed. */
export interface PluginLifecycleEvent {
  plugin: { name: string; version: string };
}

/** The event each hook type carries. */
export interface HookEventMap {
  pre_task_submit: TaskEvent;
  post_task_submit: TaskEvent;
  pre_task_execute: TaskEvent;
  post_task_execute: TaskEvent;
  user_auth: UserAuthEvent;
  user_authz: UserAuthzEvent;
  cli_command: CliCommandEvent;
  config_validate: ConfigValidateEvent;
  plugin_install: PluginLifecycleEvent;
  plugin_uninstall: PluginLifecycleEvent;
}
