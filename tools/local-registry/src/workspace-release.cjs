'use strict';
// Publishes the workspace's public packages the way a release does: `changeset publish`, which asks
// the registry for each package's versions and runs `npm publish` for every version it lacks. Only
// the registry differs from a real release, and no git tags are made.
const { spawn } = require('node:child_process');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { LocalRegistryError } = require('./local-registry-error.cjs');

const workspaceRoot = resolve(__dirname, '..', '..', '..');

/** A package.json (or any JSON file) of this workspace, parsed; node-modules-closure.cjs reads them with it too. */
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Every package the root package.json's workspaces globs (`dir/*`) find: { dir, json }. */
function workspacePackages() {
  return readJson(join(workspaceRoot, 'package.json')).workspaces.flatMap((glob) => {
    const parent = join(workspaceRoot, glob.replace(/\/\*$/, ''));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(parent, entry.name, 'package.json')))
      .map((entry) => ({ dir: join(parent, entry.name), json: readJson(join(parent, entry.name, 'package.json')) }));
  });
}

const publicPackages = () => workspacePackages().filter((pkg) => pkg.json.private !== true);

// The files a consumer's require/import reaches; the workspace's source condition is never published.
function entryFiles(json) {
  const targets = [];
  const walk = (value, condition) => {
    if (condition === '@marathon/source') return;
    if (typeof value === 'string') targets.push(value);
    else if (typeof value === 'object' && value !== null) for (const [key, inner] of Object.entries(value)) walk(inner, key);
  };
  walk(json.exports);
  if (typeof json.main === 'string') targets.push(json.main);
  return [...new Set(targets.filter((target) => !target.includes('*')))];
}

/** Refuses what would publish but not install: an unbuilt package, or one needing a private package. */
function checkInstallable() {
  const all = workspacePackages();
  const privateNames = new Set(all.filter((pkg) => pkg.json.private === true).map((pkg) => pkg.json.name));
  for (const { dir, json } of all.filter((pkg) => pkg.json.private !== true)) {
    const missing = entryFiles(json).filter((file) => !existsSync(join(dir, file)));
    if (missing.length > 0) {
      throw new LocalRegistryError('NOT_BUILT', `${json.name} is not built (${missing.join(', ')} missing): run \`npm run build\` first`);
    }
    const needs = Object.keys({ ...json.dependencies, ...json.peerDependencies, ...json.optionalDependencies });
    const unpublishable = needs.filter((name) => privateNames.has(name));
    if (unpublishable.length > 0) {
      throw new LocalRegistryError(
        'PRIVATE_DEPENDENCY',
        `${json.name} depends on ${unpublishable.join(', ')}, which is private and never published: make it a devDependency`,
      );
    }
  }
}

function run(file, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, output }));
  });
}

/** The package's versions on the registry ([] when it has none). */
async function publishedVersions(url, name) {
  const response = await fetch(`${url}/${name.replace('/', '%2f')}`, { headers: { accept: 'application/json' } });
  if (response.status === 404) return [];
  if (!response.ok) throw new LocalRegistryError('PUBLISH_FAILED', `${url} answered ${response.status} for ${name}`);
  return Object.keys((await response.json()).versions ?? {});
}

/**
 * Publishes every public workspace package that `registry` lacks, through `changeset publish`.
 * @param {import('@marathon/test-registry').TestRegistry} registry
 * @returns {Promise<Array<{ name: string, version: string }>>} the public packages, all on the registry
 */
async function publishWorkspace(registry) {
  checkInstallable();
  const env = {
    ...registry.npmEnv(),
    // changesets reads the registry from here and hands it to every `npm info` and `npm publish`.
    npm_config_registry: `${registry.url}/`,
    // The token line npm publish wants; the user's own ~/.npmrc (and its credentials) stays out.
    npm_config_userconfig: registry.userconfig,
  };
  const changeset = require.resolve('@changesets/cli/bin.js', { paths: [workspaceRoot] });
  const release = await run(process.execPath, [changeset, 'publish', '--no-git-tag'], { cwd: workspaceRoot, env });
  if (release.code !== 0)
    throw new LocalRegistryError('PUBLISH_FAILED', `changeset publish failed (exit ${release.code}):\n${release.output}`);
  const packages = publicPackages().map(({ json }) => ({ name: json.name, version: json.version }));
  for (const { name, version } of packages) {
    if (!(await publishedVersions(registry.url, name)).includes(version)) {
      throw new LocalRegistryError('PUBLISH_FAILED', `changeset publish left out ${name}@${version}:\n${release.output}`);
    }
  }
  return packages;
}

module.exports = { publishWorkspace, publicPackages, readJson, workspaceRoot };
