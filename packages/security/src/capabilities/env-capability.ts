// ctx.env.get: only the variables the manifest lists in env_vars.allowed. The worker never holds
// the rest of the host's environment: the host sends just these values with the plugin.
import { CapabilityError } from './capability-error';
import type { PluginScope } from './plugin-scope';

/** Longer than any variable name a manifest can allow. */
const MAX_NAME_CHARS = 256;

/** The variable's value; null when it is allowed but not set on the host. */
export function envGet(scope: PluginScope, args: readonly unknown[]): string | null {
  const name = args[0];
  const shown = typeof name === 'string' ? name : String(name);
  scope.require('env_vars', 'env.get', shown);
  if (typeof name !== 'string') throw new CapabilityError('EINVAL', 'env.get: the name must be a string');
  if (name.length > MAX_NAME_CHARS) {
    // A long name is never allowed; echoing it back would hand a plugin an amplifier.
    throw scope.deny('env.get', name, 'EINVAL', `env.get: a variable name is at most ${MAX_NAME_CHARS} characters, got ${name.length}`);
  }
  if (!scope.spec.envAllowed.includes(name)) {
    throw scope.deny('env.get', name, 'EPERM', `env.get: '${name}' is not in env_vars.allowed`);
  }
  scope.audit('env.get', name, true);
  return Object.hasOwn(scope.spec.env, name) ? scope.spec.env[name]! : null;
}
