'use strict';
// Serves third-party packages from this workspace's node_modules, for machines without a network:
// the packages asked for and everything they need, found the way Node finds them (the nearest
// node_modules up from the package that needs it), each published once with the real npm.
// Workspace packages are followed for what they need but not published here (the release does that).
const { existsSync, realpathSync } = require('node:fs');
const { dirname, join, relative, sep } = require('node:path');
const semver = require('semver');
const { LocalRegistryError } = require('./local-registry-error.cjs');
const { readJson, workspaceRoot } = require('./workspace-release.cjs');

/** The real folder of package `name` as seen from folder `from`, or undefined when none is installed. */
function findInstalled(from, name) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === workspaceRoot || dirname(dir) === dir) return undefined;
  }
}

const isWorkspacePackage = (dir) => !relative(workspaceRoot, dir).split(sep).includes('node_modules');

// Optional dependencies for other platforms (esbuild's @esbuild/*) are legitimately absent.
function optional(json, name) {
  return name in (json.optionalDependencies ?? {}) || json.peerDependenciesMeta?.[name]?.optional === true;
}

/**
 * The third-party packages `roots` need, as installed here, lowest version first per name.
 * @param {string[]} roots package names, resolved from the workspace root
 * @returns {Array<{ name: string, version: string, dir: string }>}
 */
function nodeModulesClosure(roots) {
  const found = new Map();
  const visited = new Set();
  const visit = (dir) => {
    if (visited.has(dir)) return;
    visited.add(dir);
    const json = readJson(join(dir, 'package.json'));
    if (!isWorkspacePackage(dir)) found.set(`${json.name}@${json.version}`, { name: json.name, version: json.version, dir });
    for (const name of Object.keys({ ...json.dependencies, ...json.optionalDependencies, ...json.peerDependencies })) {
      const target = findInstalled(dir, name);
      if (target !== undefined) visit(target);
      else if (!optional(json, name)) {
        throw new LocalRegistryError(
          'NOT_INSTALLED',
          `${json.name} needs ${name}, which is not installed in ${workspaceRoot}: run \`npm install\``,
        );
      }
    }
  };
  for (const root of roots) {
    const dir = findInstalled(workspaceRoot, root);
    if (dir === undefined)
      throw new LocalRegistryError(
        'NOT_INSTALLED',
        `${root} is not installed in ${workspaceRoot}: add it to a workspace package and run \`npm install\``,
      );
    visit(dir);
  }
  // Each publish moves the `latest` tag: the highest version of a name goes last and keeps it.
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || semver.compare(a.version, b.version));
}

/**
 * Publishes `roots` and what they need from node_modules into `registry`.
 * @param {import('@marathon/test-registry').TestRegistry} registry
 * @param {string[]} roots
 */
function publishFromNodeModules(registry, roots) {
  const packages = nodeModulesClosure(roots);
  // One npm process publishes a round, in which a name may appear once: the lowest version of each
  // name goes in the first round, the next in the second…, so the highest ends up `latest`.
  const rounds = [];
  for (const pkg of packages) {
    const round = rounds.find((candidate) => !candidate.some((other) => other.name === pkg.name));
    if (round === undefined) rounds.push([pkg]);
    else round.push(pkg);
  }
  for (const round of rounds)
    registry.publishMany(
      round.map((pkg) => pkg.dir),
      { tag: 'latest' },
    );
  return packages.map(({ name, version }) => ({ name, version }));
}

module.exports = { nodeModulesClosure, publishFromNodeModules };
