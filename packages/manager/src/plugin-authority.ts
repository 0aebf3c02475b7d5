// The operator's word on what one plugin may do (`marathon plugin authority`): the hosts it may
// reach, the environment variables it may read, the commands it may run, private-network access,
// its memory and its call deadline — each replacing, for this host, what its author declared (or
// the policy's default). Narrowing is the operator's right and asks nothing; widening is a grant,
// and asks for consent exactly as an install does (refused without it), and every change goes to
// the audit trail. Nothing here touches the plugin's files: integrity and signatures still verify.
// The plugin runs under the effective manifest (effectiveManifest) from its next load; one loaded
// in this process is reloaded at once.
import { envNameProblem, execCommandProblem, hostPatternProblem, normalizeHost, type Manifest } from '@marathon/manifest';
import type { Permission } from '@marathon/plugin-api';
import { ownEntry, type InstalledPlugin, type InstalledState, type OperatorAuthority } from '@marathon/registry';
import { effectiveLimits, ENGINE_MIN_MEMORY, type AuditEntry, type CallLimits, type OperatorLimits } from '@marathon/security';
import type { ResourceLimits } from '@marathon/plugin-api';
import { scopeOf } from '@marathon/security/trust';
import { ManagerError } from './errors';
import type { ManagerParts } from './manager-parts';
import { notInstalled } from './not-installed';
import { updateOperator } from './operator-entry';

export type AuthorityKey = keyof OperatorAuthority;
type AuthorityValue = string[] | number | boolean;

/** One thing the operator may change, as the author declared it, as the operator set it, and as it runs. */
export interface AuthorityRow {
  key: AuthorityKey;
  /** What plugin.json declares, or the host's default for what it does not (private network, limits). */
  author: AuthorityValue;
  /** The operator's value, when they set one. */
  operator?: AuthorityValue;
  effective: AuthorityValue;
  /** The permission it scopes; the plugin must have been granted it. */
  permission?: Permission;
}

export interface PluginAuthority {
  plugin: string;
  rows: AuthorityRow[];
}

/** Per key: a value sets it, null puts the author's declaration back. */
export type AuthorityChange = { [K in AuthorityKey]?: NonNullable<OperatorAuthority[K]> | null };

export interface AuthorityConsent {
  /** Accept a widening without asking (the CLI's --yes). */
  yes?: boolean;
  /** Asks the operator about the widenings (one line each); resolve true to accept. */
  confirm?: (widenings: readonly string[]) => Promise<boolean>;
}

/** What the host's policy says where plugin.json has no say. */
export interface HostDefaults {
  allowPrivateNetwork: boolean;
  limits: Readonly<Partial<ResourceLimits & CallLimits>>;
}

type AuthorityParts = Pick<ManagerParts, 'store' | 'runtime' | 'history'> & { defaults: () => HostDefaults };

const LIST_KEYS = ['allowed_hosts', 'env_vars', 'commands'] as const;
const PERMISSION_OF: Partial<Record<AuthorityKey, Permission>> = {
  allowed_hosts: 'network',
  env_vars: 'env_vars',
  commands: 'exec',
  private_network: 'network',
};
const WHAT: Record<AuthorityKey, string> = {
  allowed_hosts: 'hosts it may reach',
  env_vars: 'environment variables it may read',
  commands: 'commands it may run',
  private_network: 'private-network access',
  max_memory: 'memory',
  call_deadline_ms: 'call deadline',
};
/** The ceilings an operator may set; far above any plugin's needs, below what would starve the host. */
const MAX_MEMORY = 4 * 1024 * 1024 * 1024;
const MAX_CALL_DEADLINE_MS = 10 * 60 * 1000;

/** The operator's authority changes of `name` in `state` (none: empty). */
export function operatorAuthority(state: InstalledState, name: string): OperatorAuthority {
  return ownEntry(state.operator ?? {}, name)?.authority ?? {};
}

function authorValue(manifest: Manifest, key: AuthorityKey, defaults: HostDefaults): AuthorityValue {
  switch (key) {
    // The same words the install's consent summary uses for what each permission reaches.
    case 'allowed_hosts':
      return scopeOf(manifest, 'network');
    case 'env_vars':
      return scopeOf(manifest, 'env_vars');
    case 'commands':
      return scopeOf(manifest, 'exec');
    case 'private_network':
      return defaults.allowPrivateNetwork;
    case 'max_memory':
    case 'call_deadline_ms':
      return effectiveLimits(manifest.limits, defaults.limits)[key];
  }
}

/** The table `marathon plugin authority <name>` shows. */
export function authorityOf(record: InstalledPlugin, authority: OperatorAuthority, defaults: HostDefaults): PluginAuthority {
  const keys: AuthorityKey[] = ['allowed_hosts', 'env_vars', 'commands', 'private_network', 'max_memory', 'call_deadline_ms'];
  return {
    plugin: record.name,
    rows: keys.map((key) => {
      const author = authorValue(record.manifest, key, defaults);
      const operator = authority[key];
      const permission = PERMISSION_OF[key];
      return {
        key,
        author,
        ...(operator === undefined ? {} : { operator }),
        effective: operator ?? author,
        ...(permission === undefined ? {} : { permission }),
      };
    }),
  };
}

/** The manifest the plugin runs under: its author's, with the operator's lists and switches in place. */
export function effectiveManifest(manifest: Manifest, authority: OperatorAuthority): Manifest {
  if (authority.allowed_hosts === undefined && authority.env_vars === undefined && authority.commands === undefined) return manifest;
  return {
    ...manifest,
    ...(authority.allowed_hosts === undefined ? {} : { network: { allowed_hosts: authority.allowed_hosts } }),
    ...(authority.env_vars === undefined ? {} : { env_vars: { allowed: authority.env_vars } }),
    ...(authority.commands === undefined ? {} : { exec: { allowed_commands: authority.commands } }),
  };
}

/** What the sandbox takes besides the manifest: the operator's limits and private-network switch. */
export function operatorSandboxOptions(authority: OperatorAuthority): { limits?: OperatorLimits; allowPrivateNetwork?: boolean } {
  const limits: OperatorLimits = {
    ...(authority.max_memory === undefined ? {} : { max_memory: authority.max_memory }),
    ...(authority.call_deadline_ms === undefined ? {} : { call_deadline_ms: authority.call_deadline_ms }),
  };
  return {
    ...(Object.keys(limits).length === 0 ? {} : { limits }),
    ...(authority.private_network === undefined ? {} : { allowPrivateNetwork: authority.private_network }),
  };
}

function invalid(message: string): ManagerError {
  return new ManagerError('AUTHORITY_INVALID', message);
}

/** Checks one value; lists come back normalised (hosts lower-cased, duplicates dropped). */
function checked(name: string, key: AuthorityKey, value: unknown): AuthorityValue {
  if ((LIST_KEYS as readonly string[]).includes(key)) {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
      throw invalid(`the ${WHAT[key]} of '${name}' must be a list of names`);
    const problem = (item: string) =>
      key === 'allowed_hosts' ? hostPatternProblem(item) : key === 'env_vars' ? envNameProblem(item) : execCommandProblem(item);
    const bad = (value as string[]).map(problem).find((found) => found !== undefined);
    if (bad !== undefined) throw invalid(bad);
    const items = key === 'allowed_hosts' ? (value as string[]).map(normalizeHost) : (value as string[]);
    return [...new Set(items)];
  }
  if (key === 'private_network') {
    if (typeof value !== 'boolean') throw invalid(`private-network access of '${name}' is on or off`);
    return value;
  }
  // Below 16 MiB the engine itself does not fit (the sandbox would raise it anyway).
  const [floor, ceiling] = key === 'max_memory' ? [ENGINE_MIN_MEMORY, MAX_MEMORY] : [1, MAX_CALL_DEADLINE_MS];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < floor || value > ceiling)
    throw invalid(`the ${WHAT[key]} of '${name}' must be a whole number from ${floor} to ${ceiling}, not ${String(value)}`);
  return value;
}

/**
 * Problems of an authority a lockfile brings for `record` (the lockfile is the consent: widening
 * asks nothing, but each value must fit and scope a permission the plugin was granted).
 */
export function lockAuthorityProblems(record: InstalledPlugin, authority: OperatorAuthority): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(authority) as AuthorityKey[]) {
    const permission = PERMISSION_OF[key];
    try {
      if (!Object.hasOwn(WHAT, key)) throw invalid(`'${key}' is not something an operator can change`);
      if (permission !== undefined && !record.granted_permissions.includes(permission))
        throw invalid(`plugin '${record.name}' was not granted the ${permission} permission, so the ${WHAT[key]} cannot be changed`);
      checked(record.name, key, authority[key]);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

/** Why `next` grants more than `author` (one line per grant), empty when it does not. */
function widenings(key: AuthorityKey, author: AuthorityValue, next: AuthorityValue): string[] {
  if (Array.isArray(author) && Array.isArray(next)) {
    // An author's pinned command ("git status|log") is not a grant of "git" with any arguments.
    const declared = new Set(author);
    return next.filter((item) => !declared.has(item)).map((item) => `${WHAT[key]}: + ${item}`);
  }
  if (typeof author === 'boolean') return next === true && author === false ? [`${WHAT[key]}: on`] : [];
  return typeof next === 'number' && typeof author === 'number' && next > author ? [`${WHAT[key]}: ${author} → ${next}`] : [];
}

/** Describes a change for the audit trail: what it is now, and what it was declared as. */
function auditTarget(key: AuthorityKey, value: AuthorityValue | undefined, author: AuthorityValue): string {
  const shown = (entry: AuthorityValue) => (Array.isArray(entry) ? entry.join(', ') || '(none)' : String(entry));
  return value === undefined ? `${key}: back to ${shown(author)} (plugin.json)` : `${key}: ${shown(value)} (plugin.json: ${shown(author)})`;
}

/**
 * Changes the operator's authority over `name`. Each value is checked, and the plugin must have
 * been granted the permission it scopes. A change that grants more than the author declared (or
 * the host's default) needs consent: `consent.yes`, or `consent.confirm` answering true;
 * otherwise CONSENT_REQUIRED and nothing is written. Returns the table after the change.
 */
export async function changeAuthority(
  parts: AuthorityParts,
  name: string,
  change: AuthorityChange,
  consent: AuthorityConsent = {},
): Promise<PluginAuthority> {
  const state = await parts.store.read();
  const record = ownEntry(state.plugins, name);
  if (record === undefined) throw await notInstalled(parts.store, name);
  const defaults = parts.defaults();
  const next: OperatorAuthority = { ...operatorAuthority(state, name) };
  const granted: string[] = [];
  const audit: AuditEntry[] = [];
  for (const key of Object.keys(change) as AuthorityKey[]) {
    if (!Object.hasOwn(WHAT, key)) throw invalid(`'${key}' is not something an operator can change`);
    const permission = PERMISSION_OF[key];
    if (permission !== undefined && !record.granted_permissions.includes(permission))
      throw invalid(`plugin '${name}' was not granted the ${permission} permission, so the ${WHAT[key]} cannot be changed`);
    const author = authorValue(record.manifest, key, defaults);
    const value = change[key];
    if (value === null || value === undefined) delete next[key];
    else {
      const fit = checked(name, key, value);
      (next as Record<AuthorityKey, AuthorityValue>)[key] = fit;
      granted.push(...widenings(key, author, fit));
    }
    const now = next[key];
    audit.push({
      time: Date.now(),
      plugin: name,
      capability: 'authority',
      target: auditTarget(key, now, author),
      allowed: true,
      reason:
        now === undefined
          ? 'reset by the operator'
          : widenings(key, author, now).length > 0
            ? 'widened by the operator, with consent'
            : 'set by the operator',
    });
  }
  if (granted.length > 0 && consent.yes !== true) {
    const accepted = consent.confirm === undefined ? false : await consent.confirm(granted);
    if (!accepted)
      throw new ManagerError(
        'CONSENT_REQUIRED',
        `widening what plugin '${name}' may do needs your consent: on a terminal you are asked; otherwise add --yes`,
        granted,
      );
  }
  await parts.store.transaction(async (current) => {
    if (ownEntry(current.plugins, name) === undefined) throw await notInstalled(parts.store, name);
    updateOperator(current, name, (entry) => {
      entry.authority = next;
    });
  });
  for (const entry of audit) parts.history.recordAudit(entry);
  await parts.runtime.reload(name);
  return authorityOf(record, next, defaults);
}
