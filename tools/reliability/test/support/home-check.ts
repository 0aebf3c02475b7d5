// What a MARATHON_HOME must look like whatever happened to the processes that used it: a state
// file that loads (JSON, version 1), and an installed copy for every record whose files hash to the
// digests recorded at install (SHA-256 per relative path, the record's `integrity`). Computed here
// independently of the product's own integrity code, so that a fault in it cannot hide itself.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface StateRecord {
  name: string;
  version: string;
  status: 'enabled' | 'disabled' | 'error';
  folder: string;
  integrity: Record<string, string>;
}

export interface LoadedState {
  version: 1;
  plugins: Record<string, StateRecord>;
}

/** The state file, or a thrown error saying why it does not load. A missing file is the empty state. */
export function loadState(home: string): LoadedState {
  const file = join(home, 'state.json');
  if (!existsSync(file)) return { version: 1, plugins: {} };
  const text = readFileSync(file, 'utf8');
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}): ${JSON.stringify(text.slice(0, 200))}`);
  }
  const candidate = state as Partial<LoadedState> | null;
  if (candidate?.version !== 1 || typeof candidate.plugins !== 'object' || candidate.plugins === null) {
    throw new Error(`${file} is not a version 1 state: ${text.slice(0, 200)}`);
  }
  return candidate as LoadedState;
}

function digests(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else result[`${prefix}${name}`] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(root, '');
  return result;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/**
 * Problems of a home, as sentences (empty when it is consistent). `settled` is for a home after a
 * marathon command has run to completion since the last crash: then installed/ holds exactly the
 * recorded folders and staging/ is empty.
 */
export function homeProblems(home: string, settled: boolean): string[] {
  const problems: string[] = [];
  let state: LoadedState;
  try {
    state = loadState(home);
  } catch (error) {
    return [(error as Error).message];
  }
  const installed = join(home, 'installed');
  for (const record of Object.values(state.plugins)) {
    const folder = join(installed, record.folder);
    if (!existsSync(folder)) {
      problems.push(`'${record.name}' is recorded in ${record.folder}, which does not exist`);
      continue;
    }
    const actual = JSON.stringify(sorted(digests(folder)));
    if (actual !== JSON.stringify(sorted(record.integrity)))
      problems.push(`'${record.name}': the files of ${record.folder} differ from the recorded integrity`);
  }
  if (settled) {
    const known = new Set(Object.values(state.plugins).map((record) => record.folder));
    for (const name of list(installed)) if (!known.has(name)) problems.push(`installed/${name} belongs to no state record`);
    for (const name of list(join(home, 'staging'))) problems.push(`staging/${name} was left behind`);
  }
  return problems;
}

/** name → status, for comparing a state with what an operation should have produced. */
export function statuses(state: LoadedState): Record<string, string> {
  return Object.fromEntries(
    Object.values(state.plugins)
      .map((record) => [record.name, record.status])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
}
