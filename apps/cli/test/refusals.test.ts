// What the CLI refuses, and how: one clear line on stderr (or JSON with --json) that says what to
// do next, a non-zero exit, no stack trace — and nothing installed or changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

function installedFolders(): string[] {
  const dir = join(ws.home, 'installed');
  return existsSync(dir) ? readdirSync(dir) : [];
}

function notifier(): string {
  return writePluginFolder(ws.plugins, {
    name: 'notifier',
    permissions: ['task_read', 'network'],
    manifest: { network: { allowed_hosts: ['hooks.example.com'] } },
    body: '{}',
  });
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

test('permissions beyond task_read: refused without a terminal and without --yes, naming --yes', async () => {
  const dir = notifier();
  const refused = await ws.run(['plugin', 'install', dir]);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toBe('');
  expect(refused.stderr).toContain(
    "plugin 'notifier' was not installed: its permissions need your consent (run again with --yes to accept them)",
  );
  expect(refused.stderr).toContain('network — Network access to the hosts it lists: hooks.example.com');
  noStackTrace(refused.stderr);
  expect(installedFolders()).toEqual([]);
  expect((await ws.ok(['plugin', 'list'])).stdout).toContain('Summary: 0 total');
  const json = await ws.run(['plugin', 'install', dir, '--json']);
  expect(json.code).toBe(1);
  const { error } = JSON.parse(json.stdout);
  expect(error.code).toBe('CONSENT_REQUIRED');
  expect(error.details).toEqual(expect.arrayContaining(['- network — Network access to the hosts it lists: hooks.example.com']));
  await ws.ok(['plugin', 'install', dir, '--yes']);
  expect(installedFolders()).toHaveLength(1);
});

// A real terminal, through util-linux `script`: the operator sees the summary and answers.
function installOnTerminal(dir: string, answer: string) {
  const command = [process.execPath, BINARY, 'plugin', 'install', dir].map((part) => `'${part}'`).join(' ');
  return spawnSync('script', ['-qec', command, '/dev/null'], {
    input: answer,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home, NO_COLOR: '1', TERM: 'dumb' },
    timeout: 60_000,
  });
}

test('on a terminal, install shows the permission summary and asks', async () => {
  const dir = notifier();
  const declined = installOnTerminal(dir, 'n\n');
  expect(declined.error).toBeUndefined();
  expect(declined.stdout).toContain('notifier 1.0.0 asks for:');
  expect(declined.stdout).toContain('Install it with these permissions? [y/N]');
  expect(declined.stdout).toContain('consent was not given');
  expect(declined.status).toBe(1);
  expect(installedFolders()).toEqual([]);
  const accepted = installOnTerminal(dir, 'y\n');
  expect(accepted.status).toBe(0);
  expect(accepted.stdout).toContain("✅ Plugin 'notifier' installed successfully");
  expect(installedFolders()).toHaveLength(1);
});

test('unknown names get a did-you-mean and the next step, as text or JSON', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world']);
  for (const command of ['enable', 'disable', 'info', 'uninstall']) {
    const outcome = await ws.run(['plugin', command, 'hello-wrld']);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toBe("❌ plugin 'hello-wrld' is not installed (did you mean 'hello-world'?): see marathon plugin list\n");
  }
  const json = await ws.run(['plugin', 'info', 'nope', '--json']);
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toEqual({
    error: { code: 'NOT_INSTALLED', message: "plugin 'nope' is not installed: see marathon plugin list", details: [] },
  });
  const source = await ws.run(['plugin', 'install', 'helo-world']);
  expect(source.code).toBe(1);
  expect(source.stderr).toContain('hello-world');
  const command = await ws.run(['plugin', 'run', 'hello-world', 'hello']);
  expect(command.code).toBe(1);
  expect(command.stderr).toContain('marathon plugin enable hello-world');
  await ws.prepare(['plugin', 'enable', 'hello-world']);
  const unknownCommand = await ws.run(['plugin', 'run', 'hello-world', 'greeet']);
  expect(unknownCommand.code).toBe(1);
  expect(unknownCommand.stderr).toContain("did you mean 'greet'");
});

test('a stack trace appears only with DEBUG', async () => {
  const quiet = await ws.run(['plugin', 'enable', 'nope']);
  noStackTrace(quiet.stderr);
  const debug = await ws.run(['plugin', 'enable', 'nope'], { env: { DEBUG: '1' } });
  expect(debug.code).toBe(1);
  expect(debug.stderr).toMatch(/^\s+at /m);
});

test('a plugin may not take the name of a CLI topic or command', async () => {
  for (const name of ['task', 'plugin', 'config', 'keys', 'commands', 'help']) {
    const dir = writePluginFolder(ws.plugins, {
      name,
      commands: [{ name: 'run', description: 'shadow the core' }],
      body: `{ commands: { run: () => 'shadowed' } }`,
    });
    const outcome = await ws.run(['plugin', 'install', dir, '--json']);
    expect(outcome.code).toBe(1);
    expect(JSON.parse(outcome.stdout).error.code).toBe('NAME_RESERVED');
  }
  expect(installedFolders()).toEqual([]);
  // And the core commands still answer.
  await ws.ok(['task', 'run', '--', process.execPath, '-e', '']);
});

test('a bad manifest is refused with every problem, and nothing is installed', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'broken', body: '{}' });
  const manifestFile = join(dir, 'plugin.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: 'one', permisions: ['network'] }));
  const outcome = await ws.run(['plugin', 'install', dir]);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('version');
  expect(outcome.stderr).toContain("did you mean 'permissions'");
  expect(outcome.stderr).toContain(`${dir}: plugin.json has 2 problems`);
  expect(outcome.stderr).not.toContain('staging');
  expect(installedFolders()).toEqual([]);
});

test('dangerous code is refused unless --force; sources that do not exist are named', async () => {
  const dir = writePluginFolder(ws.plugins, {
    name: 'sneaky',
    commands: [{ name: 'go' }],
    body: `{ commands: { go: () => globalThis['ev' + 'al']('1') } }`,
  });
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({ commands: { go: () => String(eval('1 + 1')) } });\n`,
  );
  const refused = await ws.run(['plugin', 'install', dir]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('eval');
  expect(refused.stderr).toContain('--force');
  expect(installedFolders()).toEqual([]);
  const missing = await ws.run(['plugin', 'install', join(ws.root, 'no-such-folder')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('no-such-folder');
  noStackTrace(missing.stderr);
});

test("unknown commands and flags exit non-zero with oclif's message", async () => {
  const command = await ws.run(['plugin', 'lst']);
  expect(command.code).not.toBe(0);
  expect(command.stderr).toMatch(/not found|Did you mean/i);
  const flag = await ws.run(['plugin', 'list', '--colour']);
  expect(flag.code).toBe(2);
  expect(flag.stderr).toContain('--colour');
});
