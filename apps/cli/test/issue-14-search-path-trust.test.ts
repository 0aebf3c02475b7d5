// Issue 14 (2) through the binary: run inside a cloned repository whose .marathon/plugins holds
// unsigned copies, `plugin update` replaced a signed, enabled plugin with the repository's copy (no
// prompt, no terminal), and `install app --with-dependencies` pulled the repository's unsigned
// dependency with task_write + network + env_vars, printing neither its permissions nor "unsigned",
// all under require_signatures.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, workspace, type Outcome, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
let shared: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ws = workspace();
  shared = join(ws.root, 'shared');
  mkdirSync(shared);
  env = { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home, NO_COLOR: '1', MARATHON_PLUGIN_PATH: shared };
});
afterEach(() => ws.cleanup());

/** Runs the binary in `cwd` (the cloned repository), as an operator who cd'ed into it. */
function runIn(cwd: string, args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return ws.run(args, { cwd, env: { ...env, ...extra } });
}

function ok(cwd: string, args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return ws.ok(args, { cwd, env: { ...env, ...extra } });
}

/** A set-up step in `cwd` (see Workspace.prepare). */
function prepare(cwd: string, args: readonly string[]): Promise<Outcome> {
  return ws.prepare(args, { cwd, env });
}

/** An operator's signing setup: a trusted author, and a policy that requires signatures. */
async function requireSignatures(): Promise<string> {
  const key = JSON.parse((await prepare(ws.root, ['keys', 'generate', '--out', join(ws.root, 'author'), '--json'])).stdout) as {
    private_key: string;
    public_key: string;
  };
  await prepare(ws.root, ['keys', 'add', key.public_key]);
  writeFileSync(join(ws.home, 'config.json'), JSON.stringify({ require_signatures: true }));
  return key.private_key;
}

/** A repository with .marathon/plugins, cloned with git the way an operator gets one. */
function clonedRepository(plugins: Array<Parameters<typeof writePluginFolder>[1]>): string {
  const upstream = join(ws.root, 'upstream');
  for (const plugin of plugins) writePluginFolder(join(upstream, '.marathon', 'plugins'), plugin);
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    });
  git(upstream, 'init', '-q');
  git(upstream, 'add', '.');
  git(upstream, 'commit', '-q', '-m', 'plugins');
  git(ws.root, 'clone', '-q', `file://${upstream}`, 'clone');
  return join(ws.root, 'clone');
}

test('plugin update inside a cloned repository keeps the signed plugin, and a new source needs its own consent', async () => {
  const privateKey = await requireSignatures();
  const dir = writePluginFolder(shared, { name: 'notifier', commands: [{ name: 'who' }], body: `{ commands: { who: () => 'signed' } }` });
  await prepare(ws.root, ['plugin', 'sign', dir, '--key', privateKey]);
  await prepare(ws.root, ['plugin', 'install', 'notifier', '--enable']);
  const clone = clonedRepository([
    {
      name: 'notifier',
      commands: [{ name: 'who' }],
      manifest: { version: '2.0.0' },
      body: `{ commands: { who: () => 'from the clone' } }`,
    },
  ]);

  const update = await ok(clone, ['plugin', 'update']);
  expect(update.stdout).toBe("✅ Plugin 'notifier' is up to date (1.0.0)\n");
  // Opting in to project plugins does not make the clone's copy an update of the installed one either.
  expect((await ok(clone, ['plugin', 'update', 'notifier'], { MARATHON_PROJECT_PLUGINS: '1' })).stdout).toBe(
    "✅ Plugin 'notifier' is up to date (1.0.0)\n",
  );
  expect((await ok(clone, ['notifier', 'who'])).stdout).toBe('signed\n');

  // Named explicitly, the clone's copy is another source and an unsigned one: --yes is not enough.
  const copy = join(clone, '.marathon', 'plugins', 'notifier');
  const refused = await runIn(clone, ['plugin', 'update', 'notifier', copy, '--yes', '--json']);
  expect(refused.code).toBe(1);
  const { error } = JSON.parse(refused.stdout) as { error: { code: string; message: string; details: string[] } };
  expect(error.code).toBe('CONSENT_REQUIRED');
  expect(error.message).toContain('the update would change where it comes from and its signature status');
  expect(error.message).toContain('--allow-source-change --allow-signature-downgrade');
  expect(error.details).toEqual([`⚠️  source: the search paths, folder ${dir} → the folder ${copy}`, '⚠️  signature: valid → unsigned']);
  const info = JSON.parse((await ok(clone, ['plugin', 'info', 'notifier', '--json'])).stdout) as {
    plugin: { version: string; signature: string; status: string };
  };
  expect(info.plugin).toMatchObject({ version: '1.0.0', signature: 'valid', status: 'enabled' });

  // Both flags: the operator said exactly this. (A typed folder is what allow_unsigned_dev is for.)
  await ok(clone, ['plugin', 'update', 'notifier', copy, '--allow-source-change', '--allow-signature-downgrade']);
  expect((await ok(clone, ['notifier', 'who'])).stdout).toBe('from the clone\n');
});

const helper = {
  name: 'helper',
  permissions: ['task_read', 'task_write', 'network', 'env_vars'],
  manifest: { network: { allowed_hosts: ['collector.example'] }, env_vars: { allowed: ['AWS_SECRET_ACCESS_KEY'] } },
  body: '{}',
};

test('install --with-dependencies does not take an unsigned dependency from a cloned repository under require_signatures', async () => {
  const privateKey = await requireSignatures();
  const app = writePluginFolder(shared, { name: 'app', manifest: { dependencies: { helper: '^1.0.0' } }, body: '{}' });
  await prepare(ws.root, ['plugin', 'sign', app, '--key', privateKey]);
  const clone = clonedRepository([helper]);

  const notSearched = await runIn(clone, ['plugin', 'install', 'app', '--with-dependencies', '--yes']);
  expect(notSearched.code).toBe(1);
  expect(notSearched.stderr).toContain("no plugin named 'helper' in the search paths");
  const unsigned = await runIn(clone, ['plugin', 'install', 'app', '--with-dependencies', '--yes'], { MARATHON_PROJECT_PLUGINS: '1' });
  expect(unsigned.code).toBe(1);
  expect(unsigned.stderr).toContain("plugin 'helper' was refused");
  expect(unsigned.stderr).toContain('the policy requires signatures and the plugin is unsigned');
  expect(JSON.parse((await ok(clone, ['plugin', 'list', '--json'])).stdout).plugins).toEqual([]);
});

test('install --with-dependencies shows each dependency its permissions and signature, and asks for it', async () => {
  writePluginFolder(shared, { name: 'app', manifest: { dependencies: { helper: '^1.0.0' } }, body: '{}' });
  const clone = clonedRepository([helper]);
  const project = { MARATHON_PROJECT_PLUGINS: '1' };

  // No terminal, no --yes: refused, naming the dependency and what it asks for.
  const refused = await runIn(clone, ['plugin', 'install', 'app', '--with-dependencies'], project);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("plugin 'helper' was not installed: its permissions need your consent");
  expect(refused.stderr).toContain('signature unsigned: the plugin is not signed');

  // On a terminal: the dependency's own summary, said to be needed by app.
  const command = [process.execPath, BINARY, 'plugin', 'install', 'app', '--with-dependencies'].map((part) => `'${part}'`).join(' ');
  const asked = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: clone,
    input: 'n\n',
    encoding: 'utf8',
    env: { ...env, ...project, TERM: 'dumb' },
    timeout: 60_000,
  });
  expect(asked.stdout).toContain("'app' needs 'helper', which is not installed:");
  expect(asked.stdout).toMatch(/task_write[\s\S]*network[\s\S]*env_vars[\s\S]*signature unsigned/);
  expect(asked.status).toBe(1);

  // --yes accepts, and what the dependency got is printed.
  const installed = await ok(clone, ['plugin', 'install', 'app', '--with-dependencies', '--yes'], project);
  expect(installed.stdout).toContain(
    "✅ Plugin 'helper' 1.0.0 installed successfully (needed by 'app'): signature unsigned, permissions task_read, task_write, network, env_vars",
  );
  expect(installed.stderr).toContain('⚠️  helper: the plugin is not signed');
});
