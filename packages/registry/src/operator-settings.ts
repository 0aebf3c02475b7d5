// What the operator decides for a plugin, as opposed to what its author shipped: the values of the
// settings its plugin.json declares (`configuration`), and changes to its authority (hosts,
// environment variables, commands, private network, limits). It lives in state.json beside the installed
// records, keyed by plugin name but not inside a record: an uninstall drops the record and keeps
// these, so a reinstall finds them (`plugin uninstall --purge` removes them too), and nothing here
// touches the plugin's files, so integrity and signatures still verify. A secret setting holds the
// `${NAME}` reference the operator gave, never the secret itself.

/** A setting's value as stored (and as the plugin sees it, once secrets are resolved). */
export type StoredSettingValue = string | number | boolean | string[];

/**
 * The operator's changes to what a plugin may do, replacing its author's declaration for this host
 * (absent: the author's stands). Widening one asks for consent (the manager's plugin-authority.ts).
 */
export interface OperatorAuthority {
  /** Replaces network.allowed_hosts. */
  allowed_hosts?: string[];
  /** Replaces env_vars.allowed. */
  env_vars?: string[];
  /** Replaces exec.allowed_commands (each a program that takes any arguments). */
  commands?: string[];
  /** ctx.net.fetch may reach loopback, link-local and private addresses (the policy decides otherwise). */
  private_network?: boolean;
  /** Bytes of memory the plugin's engine may use. */
  max_memory?: number;
  /** Wall time one call may take, in ms. */
  call_deadline_ms?: number;
}

export interface OperatorSettings {
  /** Values of declared settings, by key; a secret's is its `${NAME}` reference. */
  settings?: Record<string, StoredSettingValue>;
  authority?: OperatorAuthority;
}

const LISTS = ['allowed_hosts', 'env_vars', 'commands'] as const;
const NUMBERS = ['max_memory', 'call_deadline_ms'] as const;
const AUTHORITY_KEYS = new Set<string>([...LISTS, ...NUMBERS, 'private_network']);

/** Problems of an operator's authority changes at `at` (state.json's, or a lockfile entry's), each naming its path. */
export function authorityProblems(at: string, authority: unknown): string[] {
  if (!isObject(authority)) return [`${at} is not an object`];
  const problems: string[] = [];
  for (const key of Object.keys(authority))
    if (!AUTHORITY_KEYS.has(key)) problems.push(`${at}.${key} is not something an operator can change`);
  for (const key of LISTS) {
    const list = authority[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((item) => typeof item !== 'string')))
      problems.push(`${at}.${key} is not a list of strings`);
  }
  for (const key of NUMBERS) {
    const value = authority[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0))
      problems.push(`${at}.${key} is not a positive whole number`);
  }
  if (authority.private_network !== undefined && typeof authority.private_network !== 'boolean')
    problems.push(`${at}.private_network is not true or false`);
  return problems;
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
    if (!isObject(entry)) {
      problems.push(`${at} is not an object`);
      continue;
    }
    if (entry.settings !== undefined && !isObject(entry.settings)) problems.push(`${at}.settings is not an object of setting values`);
    else if (entry.settings !== undefined) {
      const settings = entry.settings;
      const bad = Object.keys(settings).find((key) => !isStoredValue(settings[key]));
      if (bad !== undefined) problems.push(`${at}.settings[${JSON.stringify(bad)}] is not a string, number, boolean or list of strings`);
    }
    if (entry.authority !== undefined) problems.push(...authorityProblems(`${at}.authority`, entry.authority));
    if (problems.length >= limit) break;
  }
  return problems.slice(0, limit);
}
