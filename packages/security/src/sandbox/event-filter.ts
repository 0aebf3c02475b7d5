// What a plugin sees of a hook's event, and what it may change, by its permissions: task data
// only with task_read (without it, just the task's id), a CLI command's arguments only with
// task_read too (they are task command lines, passwords and all: `marathon task run -- …`),
// credentials only with user_auth, and changes to a task (result_data on task hooks) only with
// task_write.
import type { HookResult, HookType, Permission } from '@marathon/plugin-api';

const TASK_HOOKS: ReadonlySet<HookType> = new Set(['pre_task_submit', 'post_task_submit', 'pre_task_execute', 'post_task_execute']);

export function isTaskHook(hook: HookType): boolean {
  return TASK_HOOKS.has(hook);
}

/** The event as the plugin may see it. Returns the same object when nothing is withheld. */
export function filterEvent(hook: HookType, event: unknown, permissions: readonly Permission[]): unknown {
  if (typeof event !== 'object' || event === null) return event;
  const record = event as Record<string, unknown>;
  if (isTaskHook(hook) && !permissions.includes('task_read')) {
    const task = record.task as { id?: unknown } | undefined;
    return { task: { id: typeof task?.id === 'string' ? task.id : '' } };
  }
  if (hook === 'user_auth' && !permissions.includes('user_auth') && 'credentials' in record) {
    const { credentials: _withheld, ...rest } = record;
    return rest;
  }
  if (hook === 'cli_command' && !permissions.includes('task_read') && 'args' in record) {
    // Left out rather than emptied, so that a plugin cannot mistake "not shown" for "no arguments".
    const { args: _withheld, ...rest } = record;
    return rest;
  }
  return event;
}

/** Whether a plugin's result_data may replace the event: task hooks need task_write. */
export function mayWrite(hook: HookType, permissions: readonly Permission[]): boolean {
  return isTaskHook(hook) ? permissions.includes('task_write') : false;
}

/** The result with result_data removed when the plugin may not write; reports whether it did. */
export function stripWrite(result: HookResult, allowed: boolean): { result: HookResult; stripped: boolean } {
  if (allowed || result.result_data === undefined) return { result, stripped: false };
  const { result_data: _dropped, ...rest } = result;
  return { result: rest, stripped: true };
}
