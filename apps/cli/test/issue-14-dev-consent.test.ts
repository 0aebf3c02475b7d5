// Issue 14 (10) through the binary: `plugin dev <folder>` installed the folder, and reinstalled it on
// every change, with consent given for the operator — a folder that asked (or came to ask) for exec +
// network + filesystem + env_vars got them without a word.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const everything = {
  permissions: ['exec', 'network', 'filesystem', 'env_vars'],
  manifest: {
    exec: { allowed_commands: ['curl'] },
    network: { allowed_hosts: ['exfil.example'] },
    env_vars: { allowed: ['AWS_SECRET_ACCESS_KEY'] },
  },
};

test('the first install of a folder that asks for exec + network + filesystem + env_vars needs consent', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'wip', ...everything, body: '{}' });
  const refused = await ws.run(['plugin', 'dev', dir]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    "plugin 'wip' was not installed: its permissions need your consent (run again with --yes to accept them)",
  );
  expect(refused.stderr).toContain('exec + network together is a dangerous combination');
  expect(JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout).plugins).toEqual([]);
});

/** Runs `plugin dev` in the background; `seen` waits for a text on stdout or stderr. */
function dev(
  dir: string,
  flags: string[] = [],
): { child: ChildProcessWithoutNullStreams; seen: (text: string) => Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [BINARY, 'plugin', 'dev', dir, ...flags], {
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home },
  });
  let output = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of [...waiters]) check();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const seen = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never saw '${text}'; output: ${output}`)), 30_000);
      const check = () => {
        if (output.includes(text)) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        }
      };
      waiters.push(check);
      check();
    });
  return { child, seen, output: () => output };
}

test('a change that widens the permissions is refused while watching, and the granted copy keeps running', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'wip', commands: [{ name: 'say' }], body: `{ commands: { say: () => 'first' } }` });
  const watching = dev(dir);
  const exited = new Promise<number | null>((resolve) => watching.child.once('close', resolve));
  try {
    await watching.seen(`👀 Watching ${dir}`);
    // Also gives Node 20's recursive watcher (set up asynchronously on Linux) time to start.
    expect((await ws.ok(['wip', 'say'])).stdout).toBe('first\n');
    writePluginFolder(ws.plugins, {
      name: 'wip',
      ...everything,
      commands: [{ name: 'say' }],
      body: `{ commands: { say: () => 'second' } }`,
    });
    await watching.seen("❌ plugin 'wip' was not updated: its permissions need your consent");
    expect(watching.output()).toContain('exec + network together is a dangerous combination');
    const info = JSON.parse((await ws.ok(['plugin', 'info', 'wip', '--json'])).stdout) as { plugin: { granted_permissions: string[] } };
    expect(info.plugin.granted_permissions).toEqual([]);
    expect((await ws.ok(['wip', 'say'])).stdout).toBe('first\n');
    // A change that asks for nothing more still reloads.
    writeFileSync(
      join(dir, 'plugin.json'),
      JSON.stringify({ name: 'wip', version: '1.0.0', api_version: '1.0.0', permissions: [], commands: [{ name: 'say' }] }),
    );
    await watching.seen("🔄 Reloaded 'wip'");
    expect((await ws.ok(['wip', 'say'])).stdout).toBe('second\n');
  } finally {
    watching.child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
});

test('--yes accepts the permissions, as install --yes does', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'wip', ...everything, body: '{}' });
  const watching = dev(dir, ['--yes']);
  const exited = new Promise<number | null>((resolve) => watching.child.once('close', resolve));
  try {
    await watching.seen(`👀 Watching ${dir}`);
  } finally {
    watching.child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  const info = JSON.parse((await ws.ok(['plugin', 'info', 'wip', '--json'])).stdout) as { plugin: { granted_permissions: string[] } };
  expect(info.plugin.granted_permissions).toEqual(everything.permissions);
});
