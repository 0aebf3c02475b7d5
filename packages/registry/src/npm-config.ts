/// <reference path="./vendor-types.d.ts" />
// Which npm registry to use, and with what credentials — read the way npm reads them, so that a
// fleet's existing .npmrc files work unchanged. Lowest to highest: the public registry, the user's
// .npmrc (NPM_CONFIG_USERCONFIG or ~/.npmrc), the project's .npmrc, npm_config_registry,
// MARATHON_REGISTRY, and an explicit registry (the CLI's --registry). Scoped registries
// (`@acme:registry=…`) and auth lines (`//host/path/:_authToken=…`) are honoured, with `${VAR}`
// expanded from the environment as npm does. Tokens are never printed: see redact().
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'ini';

export const PUBLIC_REGISTRY = 'https://registry.npmjs.org/';

export interface NpmConfigInput {
  /** The CLI's --registry. */
  registry?: string;
  /** Where a project .npmrc is looked for. Default process.cwd(). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface NpmSettings {
  /** The default registry, with a trailing slash. */
  registry: string;
  /** Flat npm options for pacote / npm-registry-fetch: registry, scoped registries, auth. */
  options: Record<string, string | boolean>;
  /** The .npmrc files that were read. */
  files: string[];
  /** Values that must never be shown (tokens, passwords). */
  secrets: string[];
}

const AUTH_KEY = /:(_authToken|_auth|_password)$/;

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function expand(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{([^}]+)\}/g, (_match, name: string) => env[name] ?? '');
}

function readRc(file: string, env: NodeJS.ProcessEnv): Record<string, string | boolean> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const values: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(parse(text))) {
    if (typeof value === 'string') values[key] = expand(value, env);
    else if (typeof value === 'boolean') values[key] = value;
  }
  return values;
}

/** Reads the npm configuration that applies here. */
export function readNpmConfig(input: NpmConfigInput = {}): NpmSettings {
  const env = input.env ?? process.env;
  const options: Record<string, string | boolean> = { registry: PUBLIC_REGISTRY };
  const files: string[] = [];
  const userRc = resolve(env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig ?? join(env.HOME ?? homedir(), '.npmrc'));
  const projectRc = resolve(input.cwd ?? process.cwd(), '.npmrc');
  for (const file of userRc === projectRc ? [userRc] : [userRc, projectRc]) {
    const values = readRc(file, env);
    if (values === undefined) continue;
    files.push(file);
    Object.assign(options, values);
  }
  const registry = input.registry ?? env.MARATHON_REGISTRY ?? env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  if (registry !== undefined && registry !== '') options.registry = registry;
  options.registry = withSlash(String(options.registry));
  for (const key of Object.keys(options)) {
    if (/^@[^:]+:registry$/.test(key)) options[key] = withSlash(String(options[key]));
  }
  const secrets = Object.entries(options)
    .filter(([key, value]) => AUTH_KEY.test(key) && typeof value === 'string' && value !== '')
    .map(([, value]) => String(value));
  return { registry: String(options.registry), options, files, secrets };
}

/** The registry a package name is fetched from (its scope's, or the default). */
export function registryFor(name: string, settings: NpmSettings): string {
  const scope = /^(@[^/]+)\//.exec(name)?.[1];
  const scoped = scope === undefined ? undefined : settings.options[`${scope}:registry`];
  return typeof scoped === 'string' ? scoped : settings.registry;
}

/** Replaces every secret of the settings in a text (an error message, a URL) with ***. */
export function redact(text: string, settings: NpmSettings): string {
  let shown = text;
  for (const secret of settings.secrets) shown = shown.split(secret).join('***');
  return shown.replace(/(\/\/[^/\s]+\/[^\s]*:_authToken=)\S+/g, '$1***');
}
