import type { Permission } from '@marathon/plugin-api';
import { describeExecCommand, type Manifest } from '@marathon/manifest';

/**
 * Permissions that install without asking: reading task data only. Anything that changes tasks,
 * sees credentials, or reaches files, the network, the environment or commands is asked for — as
 * the seed's hello-world (task_read) installs without a prompt.
 */
export const UNPROMPTED_PERMISSIONS: readonly Permission[] = ['task_read'];

export function needsConsent(manifest: Manifest): boolean {
  return manifest.permissions.some((permission) => !UNPROMPTED_PERMISSIONS.includes(permission));
}

/** What a new version asks for beyond what the operator granted the installed one. */
export interface PermissionChanges {
  added: Permission[];
  removed: Permission[];
  /** Scope entries the new version adds: `network.allowed_hosts: api.example.org`, … */
  widened: string[];
}

const SCOPES: Array<[Permission, string, (manifest: Manifest) => readonly string[]]> = [
  ['network', 'network.allowed_hosts', (manifest) => manifest.network?.allowed_hosts ?? []],
  ['env_vars', 'env_vars.allowed', (manifest) => manifest.env_vars?.allowed ?? []],
  // Described with their pins, so that an update dropping or widening a pin asks again.
  ['exec', 'exec.allowed_commands', (manifest) => (manifest.exec?.allowed_commands ?? []).map(describeExecCommand)],
];

export function permissionChanges(previous: Manifest, granted: readonly Permission[], next: Manifest): PermissionChanges {
  const added = next.permissions.filter((permission) => !granted.includes(permission));
  const removed = granted.filter((permission) => !next.permissions.includes(permission));
  const widened: string[] = [];
  for (const [permission, field, scope] of SCOPES) {
    if (!next.permissions.includes(permission) || added.includes(permission)) continue;
    const before = new Set(scope(previous));
    for (const entry of scope(next)) if (!before.has(entry)) widened.push(`${field}: ${entry}`);
  }
  return { added, removed, widened };
}

/** Whether an update needs the operator's consent again: it wants more than was granted. */
export function updateNeedsConsent(changes: PermissionChanges): boolean {
  return changes.added.some((permission) => !UNPROMPTED_PERMISSIONS.includes(permission)) || changes.widened.length > 0;
}
