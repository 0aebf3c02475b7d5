/// <reference path="./vendor-types.d.ts" />
// Which npm registry to use, and with what credentials — read as npm reads them, so that a fleet's
// existing npm configuration works unchanged, but only what Marathon needs and only from places the
// operator owns. Lowest to highest, as in npm:
//   1. the public registry (npm's default; npm's own "builtin" npmrc, inside npm's install folder,
//      is not read: Marathon does not run from npm's folder and does not know which npm you use);
//   2. the global npmrc: npm_config_globalconfig, else $PREFIX/etc/npmrc, where PREFIX is
//      npm_config_prefix, else the PREFIX variable, else the folder node is installed in (the
//      parent of node's bin/; node's own folder on Windows) — npm's rule — `${VAR}` expanded;
//   3. the user's .npmrc (npm_config_userconfig or ~/.npmrc, `${VAR}` expanded as npm does); a
//      `globalconfig=` or `prefix=` in it moves the global file, as in npm;
//   4. the working directory's .npmrc, only with MARATHON_PROJECT_NPMRC=1, never expanded;
//   5. npm_config_* environment variables (any case; `_` in the name read as `-`, as npm does),
//      then MARATHON_REGISTRY, then an explicit registry (the CLI's --registry).
//
// A .npmrc in the working directory is the repository's, not the operator's: read by default it
// pointed installs at an attacker's registry, sent it `${NPM_TOKEN}` from the environment, and
// routed the real registry's token through its `proxy=`. So it is ignored unless asked for, and of
// any source only the keys below are passed on to pacote; settings that change how every
// connection is made (proxies, TLS) come from the operator's own files (global, user) and the
// environment alone. Tokens are never printed: see redact().
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'ini';
import { RegistryError } from './errors';
import { redact as redactSecrets, secretForms } from './npm-secrets';

export const PUBLIC_REGISTRY = 'https://registry.npmjs.org/';

export interface NpmConfigInput {
  /** The CLI's --registry. */
  registry?: string;
  /** Where a project .npmrc is looked for. Default process.cwd(). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Set to 1 to read the working directory's .npmrc too (without `${VAR}` expansion). */
export const PROJECT_NPMRC_VARIABLE = 'MARATHON_PROJECT_NPMRC';

/** The proxies npm would use: for https targets, for http targets, and the hosts that bypass them. */
export interface ProxySettings {
  https?: string;
  http?: string;
  noProxy?: string;
}

export interface NpmSettings {
  /** The default registry, with a trailing slash. */
  registry: string;
  /** Flat npm options for pacote / npm-registry-fetch: registry, scoped registries, auth, TLS. */
  options: Record<string, string | boolean | string[]>;
  /** Proxies, from the global or user npmrc or the environment only (never a project .npmrc). */
  proxy: ProxySettings;
  /** The npmrc files that were read, lowest precedence first (global, user, project). */
  files: string[];
  /** Keys of those files that were not passed on, as `file: key`. */
  ignored: string[];
  /** The working directory's .npmrc, when there is one and it was not read (no opt-in). */
  projectRcSkipped?: string;
  /** Values that must never be shown (tokens, passwords, URL passwords). */
  secrets: string[];
}

/** Whose a setting is: the operator's (global file, user file, environment) or the repository's. */
type RcOrigin = 'operator' | 'project';

/** Keys any .npmrc Marathon reads may set: where packages come from, and their credentials. */
const REGISTRY_KEY = /^(registry|@[a-z0-9][a-z0-9._~-]*:registry)$/;
const AUTH_KEY = /^\/\/[^\s]+:(_authToken|_auth|username|_password)$/;
const SECRET_KEY = /:(_authToken|_auth|_password)$/;
/** Keys only the operator's own configuration may set: they change how every connection is made. */
const USER_ONLY_KEYS = new Set(['strict-ssl', 'ca', 'cafile', 'proxy', 'https-proxy', 'noproxy']);

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function expand(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{([^}]+)\}/g, (_match, name: string) => env[name] ?? '');
}

/** The environment's proxy variables, as npm's agent reads them (any case). */
function envProxy(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const entry = Object.entries(env).find(([key, value]) => key.toLowerCase() === name && value !== undefined && value !== '');
  return entry?.[1];
}

function readRc(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parse(text);
}

/**
 * The keys of one source Marathon passes on. The operator's are expanded from the environment as
 * npm does; a project's are not — a `${VAR}` there is refused rather than sent literally.
 */
function allowedValues(
  file: string,
  values: Record<string, unknown>,
  origin: RcOrigin,
  env: NodeJS.ProcessEnv,
  ignored: string[],
): Record<string, string | boolean | string[]> {
  const kept: Record<string, string | boolean | string[]> = {};
  for (const [key, raw] of Object.entries(values)) {
    const allowed = REGISTRY_KEY.test(key) || AUTH_KEY.test(key) || (origin === 'operator' && USER_ONLY_KEYS.has(key));
    const value =
      typeof raw === 'string' || typeof raw === 'boolean'
        ? raw
        : Array.isArray(raw) && key === 'ca'
          ? raw.filter((item): item is string => typeof item === 'string')
          : undefined;
    if (!allowed || value === undefined) {
      ignored.push(`${file}: ${key}`);
      continue;
    }
    if (typeof value === 'string' && /\$\{[^}]*\}/.test(value)) {
      if (origin === 'project') {
        throw new RegistryError(
          'SETTING_INVALID',
          `${file}: '${key}' uses \${…}, and Marathon does not expand environment variables in a project .npmrc ` +
            `(a repository could read your secrets that way); put that line in your user .npmrc (~/.npmrc) instead`,
        );
      }
      kept[key] = expand(value, env);
    } else kept[key] = value;
  }
  return kept;
}

/** Variables npm reads as configuration: `npm_config_<key>` in any case. */
const NPM_ENV = /^npm_config_/i;
/** Keys that name where configuration lives: used to find files, never passed on. */
const LOCATION_KEYS = new Set(['userconfig', 'globalconfig', 'prefix']);

/**
 * The npm_config_* variables as npm reads them: the key after the prefix, `_` read as `-` (except
 * a leading one) and lower-cased, unless it is a per-host key (`//host/:_authToken`), which is
 * kept as written. Empty values count as unset. Where two spellings of one key are set, the
 * lower-case `npm_config_` one (what npm itself exports to the scripts it runs) wins.
 */
function npmEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const values: Record<string, string> = {};
  const entries = Object.entries(env).filter(
    (entry): entry is [string, string] => NPM_ENV.test(entry[0]) && entry[1] !== undefined && entry[1] !== '',
  );
  // Other spellings first, so that the lower-case one overwrites them.
  entries.sort(([a], [b]) => Number(a.startsWith('npm_config_')) - Number(b.startsWith('npm_config_')));
  for (const [name, value] of entries) {
    const raw = name.slice('npm_config_'.length);
    const key = raw.startsWith('//') ? raw : raw.replace(/(?!^)_/g, '-').toLowerCase();
    values[key] = value;
  }
  return values;
}

/** An environment value as npm parses one: `true`/`false` are booleans for a boolean key. */
function environmentValue(key: string, value: string): string | boolean {
  if (key === 'strict-ssl' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** npm's global prefix when nothing names one: node's install folder (npm's rule, DESTDIR included). */
function defaultPrefix(env: NodeJS.ProcessEnv): string {
  if (env.PREFIX !== undefined && env.PREFIX !== '') return env.PREFIX;
  if (process.platform === 'win32') return dirname(process.execPath);
  const prefix = dirname(dirname(process.execPath));
  return env.DESTDIR !== undefined && env.DESTDIR !== '' ? join(env.DESTDIR, prefix) : prefix;
}

/** The user file's own location keys, `${VAR}` expanded (npm lets a user file move the global one). */
function locationOf(values: Record<string, unknown> | undefined, key: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = values?.[key];
  return typeof value === 'string' && value !== '' ? expand(value, env) : undefined;
}

interface RcPlan {
  /** Lowest precedence first. */
  files: Array<{ file: string; origin: RcOrigin; values: Record<string, unknown> | undefined }>;
  skipped?: string;
}

/** The npmrc files that apply, with whose they are, and a project file left unread. */
function rcFiles(input: NpmConfigInput, env: NodeJS.ProcessEnv, fromEnv: Record<string, string>, withProject: boolean): RcPlan {
  const home = env.HOME ?? homedir();
  const userRc = resolve(fromEnv.userconfig === undefined ? join(home, '.npmrc') : expand(fromEnv.userconfig, env));
  const userValues = readRc(userRc);
  // npm resolves globalconfig and prefix from every layer above the global file: the environment
  // first, then the user file.
  const prefix = fromEnv.prefix ?? locationOf(userValues, 'prefix', env) ?? defaultPrefix(env);
  const globalRc = resolve(fromEnv.globalconfig ?? locationOf(userValues, 'globalconfig', env) ?? join(prefix, 'etc', 'npmrc'));
  const files: RcPlan['files'] = [];
  if (globalRc !== userRc) files.push({ file: globalRc, origin: 'operator', values: readRc(globalRc) });
  files.push({ file: userRc, origin: 'operator', values: userValues });
  if (!withProject) return { files };
  const projectRc = resolve(input.cwd ?? process.cwd(), '.npmrc');
  // Run from the home folder (or the prefix's etc/), the project file is the operator's own.
  if (projectRc === userRc || projectRc === globalRc) return { files };
  if (env[PROJECT_NPMRC_VARIABLE] === '1') return { files: [...files, { file: projectRc, origin: 'project', values: readRc(projectRc) }] };
  return existsSync(projectRc) ? { files, skipped: projectRc } : { files };
}

interface Layers {
  /** Every allowed key, the higher layer's value winning. */
  merged: Record<string, string | boolean | string[]>;
  files: string[];
  ignored: string[];
  skipped?: string;
}

/** The layers npm reads, merged: files lowest first, then the environment, then Marathon's own. */
function mergeLayers(input: NpmConfigInput, env: NodeJS.ProcessEnv, withProject: boolean): Layers {
  const merged: Record<string, string | boolean | string[]> = { registry: PUBLIC_REGISTRY };
  const files: string[] = [];
  const ignored: string[] = [];
  const fromEnv = npmEnvironment(env);
  const { files: rcs, skipped } = rcFiles(input, env, fromEnv, withProject);
  for (const { file, origin, values } of rcs) {
    if (values === undefined) continue;
    files.push(file);
    const own = Object.fromEntries(Object.entries(values).filter(([key]) => !LOCATION_KEYS.has(key)));
    Object.assign(merged, allowedValues(file, own, origin, env, ignored));
  }
  // The environment is the operator's, above every file. Its other npm_config_* variables (npm sets
  // dozens for the scripts it runs) are left alone without being listed.
  for (const [key, value] of Object.entries(fromEnv)) {
    if (LOCATION_KEYS.has(key)) continue;
    if (!(REGISTRY_KEY.test(key) || AUTH_KEY.test(key) || USER_ONLY_KEYS.has(key))) continue;
    merged[key] = environmentValue(key, expand(value, env));
  }
  const registry = input.registry ?? env.MARATHON_REGISTRY;
  if (registry !== undefined && registry !== '') merged.registry = registry;
  return { merged, files, ignored, ...(skipped === undefined ? {} : { skipped }) };
}

/** The proxies of merged settings, else of HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as npm picks them. */
function proxyOf(merged: Layers['merged'], env: NodeJS.ProcessEnv): ProxySettings {
  const configured = [merged['https-proxy'], merged.proxy].find((value): value is string => typeof value === 'string' && value !== '');
  const httpsProxy = configured ?? envProxy(env, 'https_proxy');
  const httpProxy = configured ?? envProxy(env, 'https_proxy') ?? envProxy(env, 'http_proxy') ?? envProxy(env, 'proxy');
  const noProxy = typeof merged.noproxy === 'string' ? merged.noproxy : envProxy(env, 'no_proxy');
  return {
    ...(httpsProxy === undefined ? {} : { https: httpsProxy }),
    ...(httpProxy === undefined ? {} : { http: httpProxy }),
    ...(noProxy === undefined ? {} : { noProxy }),
  };
}

/**
 * The proxies npm would use here, for downloads that are not registry requests (a plugin URL).
 * Only the operator's sources are read — a project .npmrc may never set proxies — so this reads no
 * project file and cannot be refused by one.
 */
export function readProxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  return proxyOf(mergeLayers({ env }, env, false).merged, env);
}

/** Reads the npm configuration that applies here. */
export function readNpmConfig(input: NpmConfigInput = {}): NpmSettings {
  const env = input.env ?? process.env;
  const { merged, files, ignored, skipped } = mergeLayers(input, env, true);
  const options: Record<string, string | boolean | string[]> = {};
  for (const [key, value] of Object.entries(merged)) {
    if (REGISTRY_KEY.test(key)) options[key] = withSlash(String(value));
    else if (AUTH_KEY.test(key) && typeof value === 'string') options[key] = value;
  }
  // npm's flat option names for TLS: pacote ignores the .npmrc spellings.
  if (typeof merged['strict-ssl'] === 'boolean') options.strictSSL = merged['strict-ssl'];
  const ca = merged.ca ?? (typeof merged.cafile === 'string' ? readCaFile(merged.cafile) : undefined);
  if (typeof ca === 'string' || Array.isArray(ca)) options.ca = ca;
  const proxy = proxyOf(merged, env);
  return {
    registry: String(options.registry),
    options,
    proxy,
    files,
    ignored,
    ...(skipped === undefined ? {} : { projectRcSkipped: skipped }),
    secrets: secretsOf(options, proxy),
  };
}

function readCaFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new RegistryError(
      'SETTING_INVALID',
      `cannot read the cafile ${file} your .npmrc names (${(error as NodeJS.ErrnoException).code ?? String(error)}): fix or remove that line`,
    );
  }
}

/** Every credential value of the configuration, in every form it could be shown in. */
function secretsOf(options: Record<string, string | boolean | string[]>, proxy: NpmSettings['proxy']): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (SECRET_KEY.test(key) && typeof value === 'string' && value !== '') values.push(value);
  }
  for (const url of [
    ...Object.entries(options)
      .filter(([key]) => REGISTRY_KEY.test(key))
      .map(([, value]) => String(value)),
    proxy.https,
    proxy.http,
  ]) {
    if (url === undefined) continue;
    try {
      const { password } = new URL(url);
      if (password !== '') values.push(password);
    } catch {
      // Not a URL: nothing in it to hide.
    }
  }
  return [...new Set(values.flatMap(secretForms))];
}

/** The registry a package name is fetched from (its scope's, or the default). */
export function registryFor(name: string, settings: NpmSettings): string {
  const scope = /^(@[^/]+)\//.exec(name)?.[1];
  const scoped = scope === undefined ? undefined : settings.options[`${scope}:registry`];
  return typeof scoped === 'string' ? scoped : settings.registry;
}

/** Replaces every credential in a text (an error message, a URL) with ***: see npm-secrets.ts. */
export function redact(text: string, settings: NpmSettings): string {
  return redactSecrets(text, settings);
}
