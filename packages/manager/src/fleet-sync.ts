// `sync`: make this host run exactly what a lockfile says — install, upgrade, downgrade, remove,
// configure (the operator's settings, authority and hook priorities), enable, disable — checking
// every plugin's version, content digest and permissions against the lockfile. Idempotent: when
// the host already matches, nothing is touched. All or nothing: what a failing sync removed waits
// in a trash, and each plugin it changed is put back as it was — only those, checked against the
// current state (sync-journal.ts) — so the host is as it was before.
import semver from 'semver';
import type { HookType } from '@marathon/plugin-api';
import { ownEntry, readProxySettings, type InstalledPlugin, type InstalledState, type OperatorSettings } from '@marathon/registry';
import type { ConsentSummary } from '@marathon/security/trust';
import { ManagerError } from './errors';
import { contentIntegrity, type LockEntry, type Lockfile } from './fleet-lock';
import type { InstallOptions, InstallResult } from './install-contract';

export type SyncAction = 'install' | 'upgrade' | 'downgrade' | 'reinstall' | 'remove' | 'enable' | 'disable' | 'configure';

export interface SyncStep {
  action: SyncAction;
  name: string;
  from?: string;
  to?: string;
}

/** What sync needs of the manager. */
export interface SyncTarget {
  plugins(): Promise<Record<string, InstalledPlugin>>;
  install(request: string, options: InstallOptions): Promise<InstallResult>;
  update(name: string, request: string, options: InstallOptions): Promise<InstalledPlugin>;
  uninstall(name: string): Promise<void>;
  enable(name: string): Promise<string[]>;
  disable(name: string): Promise<string[]>;
  /** Makes what the operator decided for these plugins exactly this (checked against each one), in one commit. */
  configure(operator: Readonly<Record<string, LockOperator>>): Promise<void>;
}

function sameContent(record: InstalledPlugin, entry: LockEntry): boolean {
  return record.version === entry.version && contentIntegrity(record.integrity) === entry.integrity;
}

const sortedEntries = (table: object): Array<[string, unknown]> => Object.entries(table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** What the operator decided for a plugin as one comparable text (keys sorted; an empty part is none). */
function operatorText(entry: Readonly<OperatorSettings> | undefined): string {
  const sorted = (table: object | undefined) => {
    const values = (table ?? {}) as Record<string, unknown>;
    return Object.keys(values)
      .sort()
      .map((key) => [key, values[key]]);
  };
  return JSON.stringify([sorted(entry?.settings), sorted(entry?.authority)]);
}

/** What a lock entry says the operator decided: settings and authority (state.json's operator entry), and hook priorities. */
export interface LockOperator {
  operator: OperatorSettings;
  priorities: Partial<Record<HookType, number>>;
}

/** A lock entry's operator part. */
export function lockOperator(entry: LockEntry): LockOperator {
  return {
    operator: {
      ...(entry.settings === undefined ? {} : { settings: entry.settings }),
      ...(entry.authority === undefined ? {} : { authority: entry.authority }),
    },
    priorities: entry.priorities ?? {},
  };
}

/** The changes that make `state` match the lockfile, in the order they are reported. */
export function planSync(state: InstalledState, lock: Lockfile): SyncStep[] {
  const current = state.plugins;
  const steps: SyncStep[] = [];
  for (const [name, record] of Object.entries(current)) {
    if (ownEntry(lock.plugins, name) === undefined) steps.push({ action: 'remove', name, from: record.version });
  }
  for (const [name, entry] of Object.entries(lock.plugins)) {
    const record = ownEntry(current, name);
    if (record === undefined) steps.push({ action: 'install', name, to: entry.version });
    else if (!sameContent(record, entry)) {
      const action =
        semver.valid(record.version) !== null && semver.valid(entry.version) !== null && record.version !== entry.version
          ? semver.gt(entry.version, record.version)
            ? 'upgrade'
            : 'downgrade'
          : 'reinstall';
      steps.push({ action, name, from: record.version, to: entry.version });
    }
    const enabledNow = record?.status === 'enabled';
    if (entry.enabled && !enabledNow) steps.push({ action: 'enable', name });
    if (!entry.enabled && enabledNow) steps.push({ action: 'disable', name });
    const wanted = lockOperator(entry);
    const differs =
      operatorText(wanted.operator) !== operatorText(ownEntry(state.operator ?? {}, name)) ||
      JSON.stringify(sortedEntries(wanted.priorities)) !== JSON.stringify(sortedEntries(record?.priorities ?? {}));
    if (differs) steps.push({ action: 'configure', name });
  }
  return steps;
}

function requestOf(name: string, entry: LockEntry): { request: string; integrity?: string } {
  const integrity = entry.tarball_integrity === undefined ? {} : { integrity: entry.tarball_integrity };
  switch (entry.source.kind) {
    case 'npm':
      return { request: `npm:${name}@${entry.version}`, ...integrity };
    case 'tgz':
    case 'url':
      return { request: entry.source.spec, ...integrity };
    default:
      return { request: entry.source.spec };
  }
}

/** The lockfile is the operator's consent: a plugin may get what it lists, and nothing more. */
function lockConsent(entry: LockEntry): InstallOptions['confirm'] {
  return async (summary: ConsentSummary) => summary.items.every((item) => entry.permissions.includes(item.permission));
}

function check(record: InstalledPlugin, entry: LockEntry): void {
  if (record.version !== entry.version) {
    throw new ManagerError('SYNC_FAILED', `'${record.name}' came as version ${record.version}, the lockfile says ${entry.version}`);
  }
  const integrity = contentIntegrity(record.integrity);
  if (integrity !== entry.integrity) {
    throw new ManagerError(
      'SYNC_FAILED',
      `'${record.name}' ${record.version} does not match the lockfile's integrity (${entry.integrity}, got ${integrity}): its files differ`,
    );
  }
  const granted = [...record.granted_permissions].sort().join(', ');
  if (granted !== [...entry.permissions].sort().join(', ')) {
    throw new ManagerError(
      'SYNC_FAILED',
      `'${record.name}' ${record.version} asks for [${granted}] but the lockfile grants [${[...entry.permissions].sort().join(', ')}]`,
    );
  }
}

/** Applies the lockfile; the caller provides the rollback around it. */
export async function applySync(target: SyncTarget, lock: Lockfile, steps: readonly SyncStep[]): Promise<void> {
  const current = await target.plugins();
  // Disable first (dependents with them), so that removals and replacements are not blocked.
  for (const step of steps) {
    const wasEnabled = ownEntry(current, step.name)?.status === 'enabled';
    if (wasEnabled && (step.action === 'disable' || step.action === 'remove')) {
      if (ownEntry(await target.plugins(), step.name)?.status === 'enabled') await target.disable(step.name);
    }
  }
  for (const step of steps.filter((entry) => entry.action === 'remove')) await target.uninstall(step.name);
  // npm's proxy settings (several npmrc layers and the environment) are read once for every URL
  // this sync downloads, not once per download.
  const downloads = steps.some((step) => step.action !== 'remove' && ownEntry(lock.plugins, step.name)?.source.kind === 'url');
  const proxy = downloads ? readProxySettings() : undefined;
  for (const step of steps) {
    const entry = ownEntry(lock.plugins, step.name);
    if (entry === undefined) continue;
    const { request, integrity } = requestOf(step.name, entry);
    // The lockfile names the source, so following it to another one is what the operator asked
    // for; a weaker signature than the installed copy's still needs its own consent.
    const options: InstallOptions = {
      confirm: lockConsent(entry),
      allowSourceChange: true,
      ...(integrity === undefined ? {} : { integrity }),
      ...(proxy === undefined ? {} : { proxy }),
    };
    if (step.action === 'install') await target.install(request, options);
    else if (step.action === 'upgrade' || step.action === 'downgrade' || step.action === 'reinstall')
      await target.update(step.name, request, options);
    else continue;
    const record = ownEntry(await target.plugins(), step.name);
    if (record === undefined) throw new ManagerError('SYNC_FAILED', `'${step.name}' was not installed from ${request}`);
    check(record, entry);
  }
  // The operator's settings before anything is enabled, so that each plugin's first load has them.
  if (steps.some((step) => step.action === 'configure')) {
    await target.configure(Object.fromEntries(Object.entries(lock.plugins).map(([name, entry]) => [name, lockOperator(entry)])));
  }
  // Then enable what the lockfile enables (dependencies first), and disable what it disables.
  for (const [name, entry] of Object.entries(lock.plugins)) {
    if (entry.enabled && ownEntry(await target.plugins(), name)?.status !== 'enabled') await target.enable(name);
  }
  for (const [name, entry] of Object.entries(lock.plugins)) {
    if (!entry.enabled && ownEntry(await target.plugins(), name)?.status === 'enabled') {
      throw new ManagerError('SYNC_FAILED', `'${name}' is disabled in the lockfile but an enabled plugin there depends on it`);
    }
  }
}
