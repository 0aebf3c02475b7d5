// The formats of plugin.json's string fields. Each check returns a problem in words, or undefined.
import { posix } from 'node:path';
import { isCommandName, MAX_COMMAND_NAME_LENGTH } from '@marathon/plugin-api';
import semver from 'semver';
import validatePackageName from 'validate-npm-package-name';
import { quote } from './describe-value';

/** npm's rules for new package names, optionally scoped: lowercase, url-safe, at most 214 characters. */
export function packageNameProblem(name: string): string | undefined {
  const result = validatePackageName(name);
  if (result.validForNewPackages) return undefined;
  const reasons = [...(result.errors ?? []), ...(result.warnings ?? [])];
  return `${quote(name)} is not a valid package name: ${reasons.join('; ')}`;
}

/** Strict semver: `1.0.0`, `2.1.0-beta.1`; no `v` prefix, no ranges. */
export function versionProblem(version: string): string | undefined {
  const parsed = semver.parse(version);
  const canonical = parsed === null ? null : parsed.version + (parsed.build.length > 0 ? `+${parsed.build.join('.')}` : '');
  if (canonical === version) return undefined;
  const hint = canonical === null ? ' (like 1.0.0)' : ` (write it as '${canonical}')`;
  return `${quote(version)} is not a semantic version${hint}`;
}

export function rangeProblem(range: string): string | undefined {
  if (range.trim() !== '' && semver.validRange(range) !== null) return undefined;
  return `${quote(range)} is not a semver range (like ^1.2.0 or >=1.0.0 <3)`;
}

/** A module file inside the plugin folder: relative, no `..`, .js or .mjs. */
export function mainProblem(main: string): string | undefined {
  if (main.includes('\\')) return `${quote(main)} must use forward slashes`;
  if (main.startsWith('/') || /^[A-Za-z]:/.test(main)) {
    return `${quote(main)} must be a path relative to the plugin folder`;
  }
  const normal = posix.normalize(main);
  if (normal === '..' || normal.startsWith('../')) return `${quote(main)} points outside the plugin folder`;
  if (!/\.m?js$/.test(normal)) return `${quote(main)} must be an ES module file ending in .js or .mjs`;
  return undefined;
}

export function normalizeMain(main: string): string {
  return posix.normalize(main);
}

/** The rule is plugin-api's (definePlugin checks a plugin's code against the same one); this is its message. */
export function commandNameProblem(name: string): string | undefined {
  if (isCommandName(name)) return undefined;
  return `${quote(name)} is not a valid command name: use lowercase letters, digits, - and _, starting with a letter (at most ${MAX_COMMAND_NAME_LENGTH})`;
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)*${LABEL}$`);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** A host name, `*.domain` wildcard or IPv4 address; no scheme, port, path or user. */
export function hostPatternProblem(host: string): string | undefined {
  const lower = host.toLowerCase();
  if (/[:/@?#\s]/.test(host)) {
    return `${quote(host)} must be a bare host name such as 'api.example.com' or '*.example.org' (no scheme, port or path)`;
  }
  if (IPV4.test(lower)) return undefined;
  if (lower.length <= 253 && HOSTNAME.test(lower) && !/^\d+(?:\.\d+)*$/.test(lower)) return undefined;
  if (lower.includes('*')) return `${quote(host)}: a wildcard may only be the whole first label, as in '*.example.org'`;
  return `${quote(host)} is not a valid host name`;
}

export function normalizeHost(host: string): string {
  return host.toLowerCase();
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envNameProblem(name: string): string | undefined {
  if (ENV_NAME.test(name)) return undefined;
  return `${quote(name)} is not an environment variable name (letters, digits and _, not starting with a digit)`;
}

const BARE_COMMAND = /^[A-Za-z0-9._+-]+$/;
const ABSOLUTE_COMMAND = /^(?:\/[A-Za-z0-9._+-]+)+$/;

/** A program name looked up on PATH (`git`) or an absolute path (`/usr/bin/git`); never shell syntax. */
export function execCommandProblem(command: string): string | undefined {
  const segments = command.split('/');
  const valid =
    (BARE_COMMAND.test(command) && command !== '.' && command !== '..') ||
    (ABSOLUTE_COMMAND.test(command) && !segments.includes('..') && !segments.includes('.'));
  if (valid) return undefined;
  return `${quote(command)} must be a program name such as 'git' or an absolute path such as '/usr/bin/git', without arguments or shell syntax`;
}

/**
 * One argument of a pinned exec prefix: any text but control characters, which have no place in an
 * argument a person must read in the consent prompt (and could rewrite the terminal showing it).
 */
export function execArgumentProblem(argument: string): string | undefined {
  if (!/[\u0000-\u001f\u007f-\u009f]/.test(argument)) return undefined;
  return `${quote(argument)} contains a control character; arguments must be plain text`;
}
