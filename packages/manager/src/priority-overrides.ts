// The operator's word on the order of a plugin's hooks. An author declares a priority within
// AUTHOR_PRIORITY_RANGE; the operator may override it per hook within the wider
// OPERATOR_PRIORITY_RANGE, so a plugin they trust can run before (or after) anything an author
// could declare. Overrides live in the plugin's installed record, not in its files: changing one
// never touches what was signed, and an update keeps it (an uninstall drops it with the record).
import { OPERATOR_PRIORITY_RANGE, isPriorityIn, type HookType } from '@marathon/plugin-api';
import { ownEntry, type InstalledPlugin, type StateStore } from '@marathon/registry';
import { ManagerError } from './errors';
import { notInstalled } from './not-installed';

export interface HookPriority {
  hook: HookType;
  /** What plugin.json declares (0 when it declares none). */
  declared: number;
  /** The operator's override, if any. */
  override?: number;
  /** The priority the hook runs at. */
  effective: number;
}

/** The priority `hook` of `record` runs at. */
export function effectivePriority(record: InstalledPlugin, hook: HookType): number {
  const override = record.priorities?.[hook];
  if (override !== undefined) return override;
  return record.manifest.hooks.find((declaration) => declaration.name === hook)?.priority ?? 0;
}

export function hookPriorities(record: InstalledPlugin): HookPriority[] {
  return record.manifest.hooks.map((declaration) => {
    const override = record.priorities?.[declaration.name];
    return {
      hook: declaration.name,
      declared: declaration.priority,
      ...(override === undefined ? {} : { override }),
      effective: override ?? declaration.priority,
    };
  });
}

/** Sets (a number) or removes (undefined) the override of `hook` on `record`, after checking both. */
export function applyPriorityOverride(record: InstalledPlugin, hook: string, priority: number | undefined): void {
  const declared = record.manifest.hooks.map((declaration) => declaration.name as string);
  if (!declared.includes(hook)) {
    const handled = declared.length === 0 ? 'it handles no hooks' : `it handles ${declared.join(', ')}`;
    throw new ManagerError('HOOK_NOT_DECLARED', `plugin '${record.name}' does not handle hook '${hook}': ${handled}`);
  }
  if (priority !== undefined && !isPriorityIn(priority, OPERATOR_PRIORITY_RANGE)) {
    throw new ManagerError(
      'PRIORITY_INVALID',
      `a priority is a whole number from ${OPERATOR_PRIORITY_RANGE.min} to ${OPERATOR_PRIORITY_RANGE.max}, not ${String(priority)}`,
    );
  }
  const next: Partial<Record<HookType, number>> = { ...record.priorities };
  if (priority === undefined) delete next[hook as HookType];
  else next[hook as HookType] = priority;
  if (Object.keys(next).length === 0) delete record.priorities;
  else record.priorities = next;
}

/** Commits an override (applyPriorityOverride) to the installed record of `name`, under the state lock; returns the record. */
export function overridePriority(store: StateStore, name: string, hook: string, priority: number | undefined): Promise<InstalledPlugin> {
  return store.transaction(async (state) => {
    const current = ownEntry(state.plugins, name);
    if (current === undefined) throw await notInstalled(store, name);
    applyPriorityOverride(current, hook, priority);
    return current;
  });
}
