import type { JsonValue } from './json';

/**
 * What a hook handler returns (the HookResult of docs/design.md, "Hooks").
 *
 * - `success: false` fails the call; on veto-capable hooks (pre_*, user_auth, user_authz,
 *   cli_command, config_validate) it vetoes the operation, with `message` as the reason shown to the
 *   operator (on one line, control characters shown as escapes such as `\x1b`). cli_command cannot
 *   veto the commands that recover from a plugin (`plugin disable`, `plugin uninstall`, `keys …`:
 *   see CliCommandEvent), because it is not fired for them.
 * - `continue_chain: false` stops the handlers after this one. Omitted means `true`.
 * - `result_data` is passed on: on pre_task_submit with the task_write permission it replaces the
 *   event (`{ task }`) for the handlers after this one and for the host.
 */
export interface HookResult {
  success: boolean;
  message?: string;
  continue_chain?: boolean;
  result_data?: JsonValue;
}

type ResultFields = { success?: unknown; message?: unknown; continue_chain?: unknown };

/** The field of an object that breaks the HookResult rule, in words, or undefined when none does. */
function fieldProblem(candidate: ResultFields): string | undefined {
  if (typeof candidate.success !== 'boolean') return 'an object without a boolean success';
  if (candidate.message !== undefined && typeof candidate.message !== 'string') return 'an object whose message is not a string';
  if (candidate.continue_chain !== undefined && typeof candidate.continue_chain !== 'boolean')
    return 'an object whose continue_chain is not a boolean';
  return undefined;
}

/**
 * Whether a handler's value is a HookResult, written once: the hook bus (in-process handlers), the
 * sandbox host and the sandbox worker's batched dispatch all ask this, so a value counts the same
 * whichever path carried it. `success` must be a boolean; `message`, when present, a string;
 * `continue_chain`, when present, a boolean. Other keys are ignored.
 */
export function isHookResult(value: unknown): value is HookResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return fieldProblem(value as ResultFields) === undefined;
}

/**
 * What a value is, in words, for "returned … instead of a HookResult" (and for result_data that
 * cannot be an event): names the field that broke isHookResult's rule.
 */
export function describeResultValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return fieldProblem(value as ResultFields) ?? 'an object';
}
