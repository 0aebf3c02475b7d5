// What users get is what is tested (issue 18): the packed @marathon/cli, with its packed @marathon
// dependencies, installed by the real `npm install` into an empty prefix, runs docs/design.md's
// transcript character for character and answers --version before oclif loads. The workspace's
// own binary resolves everything through the workspace's node_modules and its symlinks; only an
// installed layout shows a file missing from a tarball or a module found only by hoisting luck
// (bin/run.js resolves wsl-utils from @oclif/core's folder). npm gets the registry of the docs
// test (Verdaccio on 127.0.0.1) for every package, so anything missing is a 404, never a request
// elsewhere. The packages must be built (`npx nx run-many -t build`), as for every test here.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { designTranscript } from './design-transcript';
import { startDocRegistry, type DocRegistry } from './doc-registry';
import { workspacePackages } from './workspace';

const CLI = '@marathon/cli';

/** The third-party packages `name` and its @marathon dependencies, followed through, depend on. */
function thirdPartyDependencies(name: string): string[] {
  const packages = new Map(workspacePackages().map((pkg) => [pkg.json.name, pkg.json]));
  const found = new Set<string>();
  const visited = new Set<string>();
  const visit = (workspaceName: string): void => {
    if (visited.has(workspaceName)) return;
    visited.add(workspaceName);
    for (const dependency of Object.keys(packages.get(workspaceName)?.dependencies ?? {})) {
      if (packages.has(dependency)) visit(dependency);
      else found.add(dependency);
    }
  };
  visit(name);
  return [...found].sort();
}

// Publishing every package and installing from the registry take most of a minute on 2 cores.
const SETUP_TIMEOUT = 600_000;

let root: string;
let registry: DocRegistry | undefined;
let version: string;
let marathon: string;
let probe: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'marathon-packed-cli-'));
  registry = await startDocRegistry(thirdPartyDependencies(CLI), root);
  const published = registry.registry.published.find((pkg) => pkg.name === CLI);
  if (published === undefined) throw new Error(`${CLI} is not on the local registry`);
  version = published.version;
  const prefix = join(root, 'prefix');
  mkdirSync(prefix);
  const install = spawnSync('npm', ['install', '--prefix', prefix, `${CLI}@${version}`], {
    cwd: prefix,
    env: { ...environment(join(root, 'npm-home')), ...registry.env, npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    timeout: SETUP_TIMEOUT,
  });
  if (install.status !== 0)
    throw new Error(`npm install ${CLI}@${version} failed:\n${install.stdout}${install.stderr}${install.error?.message ?? ''}`);
  // A symlink here would mean npm linked a workspace folder instead of unpacking the tarball.
  if (lstatSync(join(prefix, 'node_modules', CLI)).isSymbolicLink()) throw new Error(`${CLI} was linked, not installed from its tarball`);
  marathon = join(prefix, 'node_modules', '.bin', 'marathon');
  // Preloaded into --version's process: says on stderr if @oclif/core was loaded, which means the
  // fast path failed (say, wsl-utils not found) and fell back to oclif, printing the same line.
  probe = join(root, 'oclif-probe.cjs');
  writeFileSync(
    probe,
    "process.on('exit', () => { if (Object.keys(require.cache).some((file) => file.includes('/@oclif/core/'))) process.stderr.write('oclif loaded\\n'); });\n",
  );
}, SETUP_TIMEOUT);

afterAll(async () => {
  await registry?.registry.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A user's environment with nothing of this machine's: its own HOME and MARATHON_HOME, this Node first on the PATH. */
function environment(home: string): NodeJS.ProcessEnv {
  return {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    HOME: home,
    MARATHON_HOME: join(home, '.marathon'),
    NO_COLOR: '1',
  };
}

/** Runs the installed binary itself (its `#!/usr/bin/env node` line included), as a user's shell does. */
function run(
  args: readonly string[],
  home: string,
  extra: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  mkdirSync(home, { recursive: true });
  const outcome = spawnSync(marathon, args, { cwd: home, env: { ...environment(home), ...extra }, encoding: 'utf8', timeout: 60_000 });
  if (outcome.error !== undefined) throw outcome.error;
  return { status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr };
}

test('the installed marathon runs the transcript of docs/design.md ("CLI output"), exactly', () => {
  const home = join(root, 'transcript-home');
  const steps = designTranscript();
  expect(steps.length).toBeGreaterThan(0);
  const stderrs: string[] = [];
  for (const step of steps) {
    const outcome = run(step.command, home);
    const command = `marathon ${step.command.join(' ')}`;
    expect([command, outcome.status, outcome.stdout]).toEqual([command, 0, step.stdout]);
    stderrs.push(outcome.stderr);
  }
  expect(stderrs[0]).toContain('not signed');
  expect(stderrs.slice(1).join('')).toBe('');
  // hello-world came from the installed @marathon/example-plugins, not from the workspace.
  const list = JSON.parse(run(['plugin', 'list', '--json'], home).stdout) as { plugins: Array<{ source: { location: string } }> };
  expect(list.plugins.map((plugin) => plugin.source.location)).toEqual([
    join(root, 'prefix', 'node_modules', '@marathon', 'example-plugins', 'plugins', 'hello-world'),
  ]);
});

test('the installed marathon --version answers without oclif, as oclif would', () => {
  const outcome = run(['--version'], join(root, 'version-home'), { NODE_OPTIONS: `--require ${probe}` });
  const system = `(?:${platform()}|wsl)-${arch() === 'ia32' ? 'x86' : arch()}`;
  const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(outcome).toEqual({
    status: 0,
    stdout: expect.stringMatching(new RegExp(`^${escaped(`${CLI}/${version}`)} ${system} node-${escaped(process.version)}\n$`)),
    stderr: '',
  });
});
