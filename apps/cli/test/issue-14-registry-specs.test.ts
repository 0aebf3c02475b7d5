// Issue 14 (1): an npm install request reached pacote whatever it was — a git repository, a folder,
// an alias — and pacote then fetched `${name}@${version}` with the name of the package it had just
// read: a name that is a git URL made it clone the repository and `npm install` it, running its
// lifecycle scripts as the operator, before any consent. Each case here is a git repository whose
// scripts write a marker file; the marker must never appear, and nothing may be installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTarball, pluginFiles, startFakeRegistry, type FakeRegistry } from './fake-registry';
import { workspace, type Workspace } from './marathon-binary';

let root: string;
/** The repository, in a folder named so that `git+file://…/repo@1.0.0` points at it. */
let repo: string;
let repoUrl: string;
/** An ordinary repository name, reached through a branch named `x@1.0.0`. */
let plainUrl: string;
let marker: string;
let registry: FakeRegistry;
let ws: Workspace;

function git(args: string[], cwd: string): void {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

/** A repository whose package.json is named `name` and whose every lifecycle script writes the marker. */
function hostileRepo(dir: string, name: string): void {
  mkdirSync(dir);
  const write = `node -e "require('fs').appendFileSync(${JSON.stringify(marker).replace(/"/g, "'")}, process.env.npm_lifecycle_event + '\\\\n')"`;
  const scripts = Object.fromEntries(['preinstall', 'install', 'postinstall', 'prepare', 'prepack'].map((event) => [event, write]));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', scripts }, null, 2));
  // The repository's own .npmrc turned scripts back on even where the operator had turned them off.
  writeFileSync(join(dir, '.npmrc'), 'ignore-scripts=false\n');
  for (const [file, content] of Object.entries(pluginFiles('evil', '1.0.0', { pkg: null }))) writeFileSync(join(dir, file), content);
  git(['init', '-q'], dir);
  git(['add', '.'], dir);
  git(['commit', '-qm', 'plugin'], dir);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'issue14-git-'));
  marker = join(root, 'SCRIPT-RAN');
  repo = join(root, 'repo@1.0.0');
  repoUrl = `git+file://${join(root, 'repo')}`;
  // The package names itself by the repository's URL: pacote's second fetch is then a git fetch.
  hostileRepo(repo, repoUrl);
  // A branch named like a version makes an ordinary repository name work too.
  plainUrl = `git+file://${join(root, 'plain')}#x`;
  hostileRepo(join(root, 'plain'), plainUrl);
  git(['branch', 'x@1.0.0'], join(root, 'plain'));

  registry = await startFakeRegistry();
  // A registry whose metadata for `evil` names the git repository as the package.
  const tarball = makeTarball(pluginFiles('evil', '1.0.0'));
  registry.publish('evil', '1.0.0', tarball, { name: repoUrl });
});

afterAll(async () => {
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  ws = workspace();
  registry.requests.length = 0;
  rmSync(marker, { force: true });
});

/** What the scripts wrote, one lifecycle event a line; empty when none ran. */
const scriptsRun = () => (existsSync(marker) ? readFileSync(marker, 'utf8').trim().split('\n') : []);
afterEach(() => ws.cleanup());

const installed = () => (existsSync(join(ws.home, 'installed')) ? readdirSync(join(ws.home, 'installed')) : []);

describe('no script of a fetched package ever runs', () => {
  test('npm:git+file://…/repo@1.0.0 is refused before anything is fetched, and its scripts never run', async () => {
    const outcome = await ws.run(['plugin', 'install', `npm:${repoUrl}@1.0.0`, '--json'], { env: { MARATHON_REGISTRY: registry.url } });
    expect(scriptsRun()).toEqual([]);
    expect(outcome.code).toBe(1);
    const { error } = JSON.parse(outcome.stdout);
    expect(error.code).toBe('SOURCE_UNSUPPORTED');
    expect(error.message).toContain('a git repository');
    expect(error.message).toContain('by name with a version, range or tag');
    expect(installed()).toEqual([]);
    expect(registry.requests).toEqual([]);
  });

  test('a branch named x@1.0.0 in an ordinary repository, without --json or --yes: a plain refusal, no script', async () => {
    const outcome = await ws.run(['plugin', 'install', `npm:${plainUrl}@1.0.0`], { env: { MARATHON_REGISTRY: registry.url } });
    expect(scriptsRun()).toEqual([]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('npm would fetch it as a git repository');
  });

  test('a registry whose metadata names a git URL as the package: refused, the git URL never fetched', async () => {
    const outcome = await ws.run(['plugin', 'install', 'evil@1.0.0', '--json'], { env: { MARATHON_REGISTRY: registry.url } });
    expect(scriptsRun()).toEqual([]);
    expect(outcome.code).toBe(1);
    const { error } = JSON.parse(outcome.stdout);
    expect(error.code).toBe('NOT_A_PLUGIN');
    expect(error.message).toContain("answered 'evil@1.0.0' with the metadata of another package");
    expect(installed()).toEqual([]);
    // The packument of the name asked for, and nothing else.
    expect(registry.requests.map((request) => request.url)).toEqual(['/evil']);
  });

  test.each([
    ['a folder', 'npm:evil@file:../repo', 'a folder'],
    ['a tarball URL', 'npm:evil@http://127.0.0.1:9/evil.tgz', 'a tarball URL'],
    ['an alias', 'npm:evil@npm:notes@1.0.0', 'an npm: alias'],
    ['a hosted git shorthand', 'npm:evil@github:acme/evil', 'a git repository'],
    ['a name npm no longer accepts', 'npm:EVIL@1.0.0', 'is not a valid package name'],
  ])('%s is refused before any request', async (_what, request, kind) => {
    const outcome = await ws.run(['plugin', 'install', request, '--json'], { env: { MARATHON_REGISTRY: registry.url } });
    expect(scriptsRun()).toEqual([]);
    expect(outcome.code).toBe(1);
    const { error } = JSON.parse(outcome.stdout);
    expect(error.code).toBe('SOURCE_UNSUPPORTED');
    expect(error.message).toContain(kind);
    expect(registry.requests).toEqual([]);
  });
});
