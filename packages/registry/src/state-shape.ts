// What a state.json must hold before anything acts on it. The file is Marathon's own, but it can
// be edited, restored from an old backup or damaged; a record with `plugins: []`, a folder of
// `../../x` or a name with `..` in it used to reach code that deletes by those paths, or made a
// command fail with a TypeError — or print a success it had not had. Each problem is reported by
// its path in the file; nothing is dropped or "repaired", because a dropped record is a plugin the
// operator would silently lose.
import { packageNameProblem, versionProblem } from '@marathon/manifest';
import { installFolderProblem } from './marathon-home';
import type { InstalledPlugin } from './state-store';

const STATUSES = new Set(['enabled', 'disabled', 'error']);
const KINDS = new Set(['search-path', 'folder', 'tgz', 'url', 'npm']);
const SIGNATURES = new Set(['valid', 'invalid', 'modified', 'unsigned', 'untrusted']);
/** The first problems are enough to act on; a file of thousands of bad records is not listed whole. */
const MAX_LISTED = 10;

type Problems = string[];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function expectObject(problems: Problems, path: string, value: unknown): value is Record<string, unknown> {
  if (isObject(value)) return true;
  problems.push(value === undefined ? `${path} is missing` : `${path} is ${kindOf(value)}, not an object`);
  return false;
}

function expectString(problems: Problems, path: string, value: unknown): value is string {
  if (typeof value === 'string') return true;
  problems.push(value === undefined ? `${path} is missing` : `${path} is ${kindOf(value)}, not a string`);
  return false;
}

function expectStrings(problems: Problems, path: string, value: unknown): void {
  if (!Array.isArray(value)) problems.push(value === undefined ? `${path} is missing` : `${path} is ${kindOf(value)}, not a list`);
  else if (value.some((item) => typeof item !== 'string')) problems.push(`${path} holds something other than strings`);
}

/** A path inside a plugin folder as recorded in its digests: relative, forward slashes, no `..`. */
function relativeFileProblem(file: string): boolean {
  return (
    file === '' ||
    file.startsWith('/') ||
    /[\\\0]/.test(file) ||
    file.split('/').some((part) => part === '..' || part === '.' || part === '')
  );
}

function checkManifest(problems: Problems, path: string, manifest: unknown, name: string, version: unknown): void {
  if (!expectObject(problems, path, manifest)) return;
  if (manifest.name !== name) problems.push(`${path}.name is ${JSON.stringify(manifest.name)}, not the record's name '${name}'`);
  if (manifest.version !== version) problems.push(`${path}.version is ${JSON.stringify(manifest.version)}, not the record's version`);
  if (expectString(problems, `${path}.main`, manifest.main) && relativeFileProblem(manifest.main))
    problems.push(`${path}.main '${manifest.main}' is not a file inside the plugin folder`);
  expectStrings(problems, `${path}.permissions`, manifest.permissions);
  for (const list of ['hooks', 'commands'] as const) {
    const value = manifest[list];
    if (!Array.isArray(value)) problems.push(`${path}.${list} is ${kindOf(value)}, not a list`);
    else if (value.some((item) => !isObject(item) || typeof item.name !== 'string'))
      problems.push(`${path}.${list} holds an entry without a name`);
  }
  expectObject(problems, `${path}.dependencies`, manifest.dependencies);
  if (manifest.limits !== undefined) expectObject(problems, `${path}.limits`, manifest.limits);
}

/** Problems of one plugin record, each naming its path (`plugins["x"].folder`). */
export function recordProblems(key: string, record: unknown, at = `plugins[${JSON.stringify(key)}]`): Problems {
  const problems: Problems = [];
  const nameProblem = packageNameProblem(key);
  if (nameProblem !== undefined) problems.push(`${at}: ${nameProblem}`);
  if (!expectObject(problems, at, record)) return problems;
  if (record.name !== key) problems.push(`${at}.name is ${JSON.stringify(record.name)}, not its key '${key}'`);
  const versionOk = expectString(problems, `${at}.version`, record.version);
  if (versionOk && versionProblem(record.version as string) !== undefined)
    problems.push(`${at}.version: ${versionProblem(record.version as string)!}`);
  if (!STATUSES.has(record.status as string))
    problems.push(`${at}.status is ${JSON.stringify(record.status)}, not enabled, disabled or error`);
  if (record.error !== undefined) expectString(problems, `${at}.error`, record.error);
  if (expectObject(problems, `${at}.source`, record.source)) {
    if (!KINDS.has(record.source.kind as string))
      problems.push(`${at}.source.kind is ${JSON.stringify(record.source.kind)}, not a source kind`);
    expectString(problems, `${at}.source.spec`, record.source.spec);
    if (record.source.integrity !== undefined) expectString(problems, `${at}.source.integrity`, record.source.integrity);
    if (record.source.location !== undefined) expectString(problems, `${at}.source.location`, record.source.location);
  }
  expectString(problems, `${at}.installed_at`, record.installed_at);
  if (expectString(problems, `${at}.folder`, record.folder) && versionOk && nameProblem === undefined) {
    const problem = installFolderProblem(key, record.version as string, record.folder);
    if (problem !== undefined) problems.push(`${at}.${problem}`);
  }
  if (expectObject(problems, `${at}.integrity`, record.integrity)) {
    const bad = Object.entries(record.integrity).find(([file, digest]) => typeof digest !== 'string' || relativeFileProblem(file));
    if (bad !== undefined) problems.push(`${at}.integrity names '${bad[0]}', which is not a file inside the plugin folder with a digest`);
  }
  if (!SIGNATURES.has(record.signature as string))
    problems.push(`${at}.signature is ${JSON.stringify(record.signature)}, not a signature status`);
  expectStrings(problems, `${at}.granted_permissions`, record.granted_permissions);
  checkManifest(problems, `${at}.manifest`, record.manifest, key, record.version);
  if (record.priorities !== undefined && expectObject(problems, `${at}.priorities`, record.priorities)) {
    if (Object.values(record.priorities).some((value) => typeof value !== 'number' || !Number.isFinite(value)))
      problems.push(`${at}.priorities holds something other than numbers`);
  }
  return problems;
}

/** Problems of a `plugins` table (state.json's, or the one a sync recorded). */
export function pluginTableProblems(plugins: unknown, at = 'plugins'): Problems {
  if (!isObject(plugins)) return [`${at} is ${kindOf(plugins)}, not an object of plugin records keyed by name`];
  const problems: Problems = [];
  for (const key of Object.keys(plugins)) {
    problems.push(...recordProblems(key, plugins[key], `${at}[${JSON.stringify(key)}]`));
    if (problems.length >= MAX_LISTED) break;
  }
  return problems.slice(0, MAX_LISTED);
}

/** The same, narrowing: a table that passed holds InstalledPlugin records. */
export function isPluginTable(plugins: unknown): plugins is Record<string, InstalledPlugin> {
  return pluginTableProblems(plugins).length === 0;
}
