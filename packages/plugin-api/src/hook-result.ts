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
