import { MarathonError } from '@marathon/plugin-api';

/**
 * A capability call refused or failed. Its message goes to the plugin, so it names what the plugin
 * asked for (a relative path, a URL, a name) and never a host path or a host error's text.
 */
export class CapabilityError extends MarathonError {
  override readonly name = 'CapabilityError';

  constructor(code: string, message: string) {
    super(code, message);
  }
}

export function permissionMissing(permission: string, capability: string): CapabilityError {
  return new CapabilityError('EPERM', `${capability} needs the '${permission}' permission: add it to "permissions" in plugin.json`);
}
