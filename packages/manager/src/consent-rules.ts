import type { Permission } from '@marathon/plugin-api';
import type { Manifest } from '@marathon/manifest';

/**
 * Permissions that install without asking: reading task data only. Anything that changes tasks,
 * sees credentials, or reaches files, the network, the environment or commands is asked for — as
 * the seed's hello-world (task_read) installs without a prompt.
 */
export const UNPROMPTED_PERMISSIONS: readonly Permission[] = ['task_read'];

export function needsConsent(manifest: Manifest): boolean {
  return manifest.permissions.some((permission) => !UNPROMPTED_PERMISSIONS.includes(permission));
}
