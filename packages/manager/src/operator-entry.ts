// state.json's `operator` table (@marathon/registry's operator-settings.ts): one entry per plugin
// name holding the operator's settings and authority changes, each part written by its own module
// (plugin-settings.ts, plugin-authority.ts). An entry left empty is removed, and so is an empty table.
import { nameTable, ownEntry, type InstalledState, type OperatorSettings } from '@marathon/registry';

/** Changes the operator's entry of `name` in `state` (a copy of it is given to `change`). */
export function updateOperator(state: InstalledState, name: string, change: (entry: OperatorSettings) => void): void {
  const table = state.operator ?? nameTable<OperatorSettings>();
  const entry: OperatorSettings = { ...(ownEntry(table, name) ?? {}) };
  change(entry);
  if (entry.settings !== undefined && Object.keys(entry.settings).length === 0) delete entry.settings;
  if (entry.authority !== undefined && Object.keys(entry.authority).length === 0) delete entry.authority;
  if (entry.settings === undefined && entry.authority === undefined) delete table[name];
  else table[name] = entry;
  if (Object.keys(table).length === 0) delete state.operator;
  else state.operator = table;
}

/** Removes everything the operator decided for `name` (`plugin uninstall --purge`). */
export function forgetOperator(state: InstalledState, name: string): void {
  updateOperator(state, name, (entry) => {
    delete entry.settings;
    delete entry.authority;
  });
}
