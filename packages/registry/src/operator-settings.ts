// What the operator decides for a plugin, as opposed to what its author shipped: the values of the
// settings its plugin.json declares (`configuration`). It lives in state.json beside the installed
// records, keyed by plugin name but not inside a record: an uninstall drops the record and keeps
// these, so a reinstall finds them (`plugin uninstall --purge` removes them too), and nothing here
// touches the plugin's files, so integrity and signatures still verify. A secret setting holds the
// `${NAME}` reference the operator gave, never the secret itself.

/** A setting's value as stored (and as the plugin sees it, once secrets are resolved). */
export type StoredSettingValue = string | number | boolean | string[];

export interface OperatorSettings {
  /** Values of declared settings, by key; a secret's is its `${NAME}` reference. */
  settings: Record<string, StoredSettingValue>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isStoredValue(value: unknown): value is StoredSettingValue {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Problems of state.json's `operator` table (absent is fine), each naming its path; at most `limit`. */
export function operatorTableProblems(table: unknown, limit = 10): string[] {
  if (table === undefined) return [];
  if (!isObject(table)) return ['operator is not an object of operator settings keyed by plugin name'];
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(table)) {
    const at = `operator[${JSON.stringify(name)}]`;
    if (!isObject(entry)) problems.push(`${at} is not an object`);
    else if (!isObject(entry.settings)) problems.push(`${at}.settings is not an object of setting values`);
    else {
      const settings = entry.settings;
      const bad = Object.keys(settings).find((key) => !isStoredValue(settings[key]));
      if (bad !== undefined) problems.push(`${at}.settings[${JSON.stringify(bad)}] is not a string, number, boolean or list of strings`);
    }
    if (problems.length >= limit) break;
  }
  return problems.slice(0, limit);
}
