import type { Permission } from '@marathon/plugin-api';
import { describeExecCommand, type Manifest } from '@marathon/manifest';
import type { InstalledPlugin } from '@marathon/registry';
import type { ConsentSummary } from '@marathon/security/trust';
import { ManagerError } from './errors';

/**
 * Permissions that install without asking: reading task data only. Anything that changes tasks,
 * sees credentials, or reaches files, the network, the environment or commands is asked for — as
 * the hello-world of docs/design.md (task_read) installs without a prompt.
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

export interface ConsentOptions {
  yes?: boolean;
  confirm?: (summary: ConsentSummary) => Promise<boolean>;
}

/**
 * How the installer asks: --yes given, or the operator's confirm says so; otherwise
 * CONSENT_REQUIRED with what was asked for. The summary already holds each dangerous combination
 * (made from the same policy as the trust gate's consent findings), so they are listed once.
 */
export async function ask(summary: ConsentSummary, options: ConsentOptions, name: string, action = 'installed'): Promise<void> {
  if (options.yes === true) return;
  const accepted = options.confirm !== undefined && (await options.confirm(summary));
  if (accepted) return;
  const why = options.confirm === undefined ? 'run again with --yes to accept them' : 'consent was not given';
  throw new ManagerError(
    'CONSENT_REQUIRED',
    `plugin '${name}' was not ${action}: its permissions need your consent (${why})`,
    summary.lines.slice(1).map((line) => line.trim()),
  );
}

/** The consent summary of an update: what changes, then the whole new request. */
export function updateSummary(
  summary: ConsentSummary,
  previous: InstalledPlugin,
  next: Manifest,
  changes: PermissionChanges,
): ConsentSummary {
  const described = new Map(
    summary.items.map((item) => [item.permission, `${item.description}${item.scope.length > 0 ? `: ${item.scope.join(', ')}` : ''}`]),
  );
  const lines = [
    `${next.name} ${previous.version} → ${next.version} asks for more than you granted:`,
    ...changes.added.map((permission) => `  + ${permission} — ${described.get(permission) ?? permission}`),
    ...changes.widened.map((entry) => `  + ${entry}`),
    ...changes.removed.map((permission) => `  - ${permission} (no longer asked for)`),
    // What the new version can do beyond its permissions is shown again, whatever changed.
    ...summary.lines
      .slice(1)
      .filter(
        (line) =>
          line.includes('dangerous combination') ||
          line.includes('amounts to a shell') ||
          (summary.signature !== undefined && line.includes(`signature ${summary.signature.status}:`)),
      ),
  ];
  return { ...summary, lines };
}
