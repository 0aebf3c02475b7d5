/// <reference path="./vendor-types.d.ts" />
// What Marathon accepts as an npm install request: a package name with a version, a range or a
// dist-tag, served by a registry — nothing else. pacote understands far more (git repositories,
// folders, tarball files, remote URLs, `npm:` aliases), and most of those run code while being
// fetched (a git dependency is `npm install`ed in its clone, lifecycle scripts included), so a
// spec is proven to be a registry spec here, before anything touches the network or a process.
//
// The spec is parsed with the npm-package-arg that pacote itself uses (resolved through pacote),
// so that what is checked here is exactly what pacote would act on — two parsers could disagree.
import { dirname } from 'node:path';
import { packageNameProblem } from '@marathon/manifest';
import { RegistryError } from './errors';

export type RegistrySpecType = 'version' | 'range' | 'tag';

export interface RegistrySpec {
  /** The package name, as asked for: every fetch goes by this name, never one read from a registry. */
  name: string;
  type: RegistrySpecType;
  /** The version, range or tag (`*` for a bare name). */
  fetchSpec: string;
  /** `name@fetchSpec`, the form handed to pacote. */
  spec: string;
}

/** Longer than any package name (214) with any sensible range. */
const MAX_SPEC_LENGTH = 512;
const REGISTRY_TYPES: ReadonlySet<string> = new Set<RegistrySpecType>(['version', 'range', 'tag']);
const KIND: Readonly<Record<string, string>> = {
  git: 'a git repository',
  directory: 'a folder',
  file: 'a tarball file',
  remote: 'a tarball URL',
  alias: 'an npm: alias',
};
const HOW = 'Marathon installs npm packages only from a registry, by name with a version, range or tag (e.g. notes@^1.2.0)';

let npaModule: typeof import('npm-package-arg') | undefined;
function npa(): typeof import('npm-package-arg') {
  if (npaModule === undefined) {
    const pacoteDir = dirname(require.resolve('pacote/package.json'));
    npaModule = require(require.resolve('npm-package-arg', { paths: [pacoteDir] })) as typeof import('npm-package-arg');
  }
  return npaModule;
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

/**
 * Throws SOURCE_UNSUPPORTED unless `name` is a package name a plugin can have — the manifest's
 * rule (npm's for new packages: lowercase, URL-safe, at most 214 characters, optionally scoped),
 * so that the registry, lockfiles and plugin.json agree on what a name is.
 */
export function assertPackageName(name: string): void {
  const problem = packageNameProblem(name);
  if (problem !== undefined) throw new RegistryError('SOURCE_UNSUPPORTED', `${problem}. ${HOW}.`);
}

/**
 * Parses an npm request (without `npm:`) and throws SOURCE_UNSUPPORTED, naming what npm would
 * have read it as, unless it is a registry spec. Pure: no file, network or process is touched.
 */
export function parseRegistrySpec(request: string): RegistrySpec {
  if (request.length > MAX_SPEC_LENGTH) {
    throw new RegistryError(
      'SOURCE_UNSUPPORTED',
      `the npm spec ${quoted(request)} is ${request.length} characters long; a package name with a version fits in ${MAX_SPEC_LENGTH}`,
    );
  }
  if (/[\u0000-\u001f\u007f]/.test(request)) {
    throw new RegistryError('SOURCE_UNSUPPORTED', `the npm spec ${quoted(request)} contains control characters. ${HOW}.`);
  }
  let parsed: import('npm-package-arg').Result;
  try {
    parsed = npa()(request);
  } catch (error) {
    throw new RegistryError('SOURCE_UNSUPPORTED', `${quoted(request)} is not an npm package spec (${(error as Error).message}). ${HOW}.`);
  }
  if (
    !REGISTRY_TYPES.has(parsed.type) ||
    parsed.registry !== true ||
    typeof parsed.name !== 'string' ||
    typeof parsed.fetchSpec !== 'string'
  ) {
    const kind = KIND[parsed.type] ?? `a '${parsed.type}' spec`;
    throw new RegistryError(
      'SOURCE_UNSUPPORTED',
      `refusing ${quoted(request)}: npm would fetch it as ${kind}, and fetching one can run its ` +
        `scripts on this machine. ${HOW}; to install a plugin folder or .tgz, give its path without npm:.`,
    );
  }
  assertPackageName(parsed.name);
  return {
    name: parsed.name,
    type: parsed.type as RegistrySpecType,
    fetchSpec: parsed.fetchSpec,
    spec: `${parsed.name}@${parsed.fetchSpec}`,
  };
}

/** A bare name (or `name@*`, `name@latest`): the caller picks the newest version it can run. */
export function isBareSpec(spec: RegistrySpec): boolean {
  return (spec.type === 'range' && spec.fetchSpec === '*') || (spec.type === 'tag' && spec.fetchSpec === 'latest');
}
