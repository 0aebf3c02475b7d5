// The Node versions the start-up and install benchmarks run their subjects on: this process's Node
// and Node 24, the current LTS (Node 20 reached its end of life on 2026-04-30). Node 24 is fetched
// once, as the npm package that carries its binary (node-<platform>-<arch>, what the `node@24`
// package installs; no install script), into tools/bench/.cache. Quick runs use this Node only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', '.cache');
const LTS_MAJOR = 24;

/** Node's major version as `node20`, the label rows and RESULT lines carry. */
const labelOf = (version) => `node${version.replace(/^v/, '').split('.')[0]}`;

function versionOf(binary) {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** Node 24's binary, fetched into the cache when it is not there yet; throws with the reason when it cannot be. */
function fetchLts() {
  const pkg = `node-${platform()}-${arch()}`;
  const prefix = join(CACHE, `node${LTS_MAJOR}`);
  const binary = join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    const install = spawnSync(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--prefix', prefix, `${pkg}@${LTS_MAJOR}`],
      {
        encoding: 'utf8',
      },
    );
    if (install.status !== 0) throw new Error(`could not fetch ${pkg}@${LTS_MAJOR} with npm: ${install.stderr.trim().split('\n').pop()}`);
  }
  const version = versionOf(binary);
  if (version === undefined) throw new Error(`${binary} does not run`);
  return { label: labelOf(version), version, path: binary };
}

/**
 * The Node binaries to measure on: `[{ label, version, path }]`, this process's first. When Node 24
 * cannot be fetched, `missing` says why (the caller prints it: a missing version is never silent).
 */
export function nodeBinaries({ quick = false } = {}) {
  const own = { label: labelOf(process.version), version: process.version, path: process.execPath };
  if (quick || own.label === `node${LTS_MAJOR}`) return { nodes: [own], missing: undefined };
  try {
    return { nodes: [own, fetchLts()], missing: undefined };
  } catch (error) {
    return { nodes: [own], missing: `Node ${LTS_MAJOR} not measured: ${error.message}` };
  }
}

/** npm's own script, to run npm on a given Node binary (`<node> <npm-cli.js> …`). */
export function npmCli() {
  if (process.env.npm_execpath?.endsWith('npm-cli.js')) return process.env.npm_execpath;
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' });
  if (which.status !== 0) throw new Error('npm is not on PATH');
  return realpathSync(which.stdout.trim());
}
