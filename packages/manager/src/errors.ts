import { MarathonError } from '@marathon/plugin-api';

export type ManagerErrorCode =
  | 'NOT_FOUND'
  | 'NOT_INSTALLED'
  | 'ALREADY_INSTALLED'
  | 'NAME_RESERVED'
  | 'NOT_ENABLED'
  | 'COMMAND_NOT_FOUND'
  | 'API_INCOMPATIBLE'
  | 'DEPENDENCY_MISSING'
  | 'DEPENDENCY_INCOMPATIBLE'
  | 'DEPENDENCY_CYCLE'
  | 'DEPENDENTS_ENABLED'
  | 'TRUST_REFUSED'
  | 'CONSENT_REQUIRED'
  | 'INTEGRITY_FAILED'
  | 'LOAD_FAILED'
  | 'INIT_FAILED'
  | 'COMMAND_FAILED'
  | 'LOCKFILE_INVALID'
  | 'SYNC_FAILED'
  | 'HOOK_NOT_DECLARED'
  | 'PRIORITY_INVALID'
  /** `plugin repair`: the recorded source is gone. */
  | 'SOURCE_GONE'
  /** `plugin repair`: the recorded source no longer holds what was installed. */
  | 'SOURCE_CHANGED'
  /** `plugin install .` in a plugin project's root: the plugin is its build (dist/). */
  | 'PLUGIN_PROJECT'
  /** `plugin config`: the plugin declares no setting of that name. */
  | 'SETTING_UNKNOWN'
  /** `plugin config` or a lockfile: a value that does not fit the setting's declaration. */
  | 'SETTING_INVALID'
  /** `plugin config`: a config_validate handler refused the new settings. */
  | 'SETTING_REFUSED'
  /** `plugin authority`: a value that cannot be, or a permission the plugin was not granted. */
  | 'AUTHORITY_INVALID';

/**
 * A lifecycle operation refused or failed. `message` says what happened and what to do next;
 * `details` carries the findings behind it (trust findings, the consent summary, a cycle).
 */
export class ManagerError extends MarathonError<ManagerErrorCode> {
  override readonly name = 'ManagerError';

  constructor(code: ManagerErrorCode, message: string, details: readonly string[] = []) {
    super(code, message, { details });
  }
}
