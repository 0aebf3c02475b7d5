// Signing keys, signatures, integrity checks, the persisted event history, the capability audit,
// uninstall with and without data, and the dev loop.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

test('keys generate, sign, keys add: a signed plugin installs as valid; verify catches a changed file', async () => {
  const generated = JSON.parse((await ws.ok(['keys', 'generate', '--out', join(ws.root, 'author'), '--name', 'acme', '--json'])).stdout);
  expect(generated.key_id).toMatch(/^[0-9a-f]{32}$/);
  const dir = writePluginFolder(ws.plugins, { name: 'signed', commands: [{ name: 'hi' }], body: `{ commands: { hi: () => 'hi' } }` });
  const signed = await ws.ok(['plugin', 'sign', dir, '--key', generated.private_key]);
  expect(signed.stdout).toContain(`✅ Signed 'signed' 1.0.0 (2 files) with key ${generated.key_id}`);

  // Not trusted yet: installs, but as untrusted.
  expect(JSON.parse((await ws.ok(['plugin', 'install', dir, '--json'])).stdout).signature).toBe('untrusted');
  await ws.prepare(['plugin', 'uninstall', 'signed']);

  expect((await ws.ok(['keys', 'add', generated.public_key])).stdout).toBe(`✅ Trusted key ${generated.key_id} added\n`);
  expect((await ws.ok(['keys', 'list'])).stdout).toMatch(new RegExp(`^✅ ${generated.key_id}  acme  added `));
  const install = await ws.ok(['plugin', 'install', dir]);
  expect(install.stderr).toBe('');
  expect((await ws.ok(['plugin', 'info', 'signed'])).stdout).toContain('Signature:    valid');
  expect((await ws.ok(['plugin', 'verify'])).stdout).toMatch(/✅ signed +files unchanged; signature valid/);

  // Someone edits the installed copy: verify says so, and exits non-zero.
  const installed = join(ws.home, 'installed', readdirSync(join(ws.home, 'installed'))[0]!);
  appendFileSync(join(installed, 'index.js'), '\n// tampered\n');
  const verify = await ws.run(['plugin', 'verify', 'signed', '--json']);
  expect(verify.code).toBe(1);
  expect(JSON.parse(verify.stdout).plugins[0]).toMatchObject({ name: 'signed', integrity: 'modified', file: 'index.js' });

  expect((await ws.ok(['keys', 'remove', generated.key_id])).stdout).toContain('is no longer trusted');
  expect((await ws.ok(['keys', 'list'])).stdout).toContain('No trusted keys');
  const again = await ws.run(['keys', 'remove', generated.key_id]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('see marathon keys list');
});

test('keys add refuses what is not an ed25519 public key', async () => {
  const file = join(ws.root, 'not-a-key.pem');
  writeFileSync(file, 'hello');
  const outcome = await ws.run(['keys', 'add', file, '--json']);
  expect(outcome.code).toBe(1);
  expect(JSON.parse(outcome.stdout).error.code).toBe('KEY_INVALID');
  expect(existsSync(join(ws.home, 'keys')) ? readdirSync(join(ws.home, 'keys')) : []).toEqual([]);
});

test('events shows the persisted hook history, filtered and limited', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--enable']);
  for (let i = 0; i < 3; i += 1) await ws.prepare(['task', 'run', '--', process.execPath, '-e', '']);
  const text = await ws.ok(['plugin', 'events', '--plugin', 'hello-world', '--limit', '2']);
  const lines = text.stdout.trim().split('\n');
  expect(lines).toHaveLength(2);
  for (const line of lines) expect(line).toMatch(/✅ post_task_execute +hello-world +[\d.]+ ms +logged$/);
  const json = JSON.parse((await ws.ok(['plugin', 'events', '--hook', 'post_task_execute', '--json'])).stdout);
  expect(json.events).toHaveLength(3);
  expect(json.events[0]).toEqual({
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    hook_type: 'post_task_execute',
    plugin_name: 'hello-world',
    success: true,
    duration_ns: expect.any(Number),
    result_message: 'logged',
  });
  const bad = await ws.run(['plugin', 'events', '--hook', 'post_task_exec']);
  expect(bad.code).toBe(2);
});

test('audit lists the capability calls a plugin made, allowed and denied', async () => {
  const dir = writePluginFolder(ws.plugins, {
    name: 'env-reader',
    permissions: ['env_vars'],
    manifest: { env_vars: { allowed: ['GREETING'] } },
    commands: [{ name: 'read' }],
    body: `{ commands: { read: (ctx) => {
      let denied = 'allowed';
      try { ctx.env.get('SECRET_TOKEN'); } catch (error) { denied = 'denied'; }
      return ctx.env.get('GREETING') + ' / ' + denied;
    } } }`,
  });
  await ws.prepare(['plugin', 'install', dir, '--yes', '--enable']);
  expect((await ws.ok(['env-reader', 'read'], { env: { GREETING: 'hej', SECRET_TOKEN: 's3cret' } })).stdout).toBe('hej / denied\n');
  const audit = await ws.ok(['plugin', 'audit', 'env-reader']);
  expect(audit.stdout).toMatch(/env\.get +GREETING +✅ allowed/);
  expect(audit.stdout).toMatch(/env\.get +SECRET_TOKEN +❌ denied \(env\.get: .SECRET_TOKEN. is not in env_vars\.allowed\)/);
  expect(audit.stdout).not.toContain('s3cret');
  const denied = JSON.parse((await ws.ok(['plugin', 'audit', 'env-reader', '--denied', '--json'])).stdout);
  expect(denied.audit).toHaveLength(1);
  expect(denied.audit[0]).toMatchObject({ plugin: 'env-reader', target: 'SECRET_TOKEN', allowed: false });
});

test('uninstall removes the plugin data unless --keep-data', async () => {
  const dir = writePluginFolder(ws.plugins, {
    name: 'notes',
    commands: [{ name: 'save' }],
    body: `{ commands: { save: async (ctx, args) => { await ctx.storage.set('note', args[0]); return 'saved'; } } }`,
  });
  await ws.prepare(['plugin', 'install', dir, '--enable']);
  await ws.prepare(['notes', 'save', 'remember']);
  const storage = join(ws.home, 'storage', 'notes.json');
  expect(existsSync(storage)).toBe(true);
  expect(JSON.parse((await ws.ok(['plugin', 'uninstall', 'notes', '--keep-data', '--json'])).stdout)).toEqual({
    uninstalled: 'notes',
    kept_data: true,
    settings: { count: 0, removed: false },
  });
  expect(existsSync(storage)).toBe(true);
  await ws.prepare(['plugin', 'install', dir, '--enable']);
  await ws.ok(['plugin', 'uninstall', 'notes']);
  expect(existsSync(storage)).toBe(false);
});

test('dev installs and enables a folder, and reloads it when a file changes', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'wip', commands: [{ name: 'say' }], body: `{ commands: { say: () => 'first' } }` });
  const child = spawn(process.execPath, [BINARY, 'plugin', 'dev', dir], {
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const seen = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never saw '${text}'; stdout: ${stdout}; stderr: ${stderr}`)), 30_000);
      const check = () => {
        if (stdout.includes(text)) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          resolve();
        }
      };
      const onData = (chunk: Buffer) => {
        stdout += chunk.toString();
        check();
      };
      child.stdout.on('data', onData);
      check();
    });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    await seen(`👀 Watching ${dir}`);
    expect((await ws.ok(['wip', 'say'])).stdout).toBe('first\n');
    writeFileSync(
      join(dir, 'index.js'),
      `import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({ commands: { say: () => 'second' } });\n`,
    );
    await seen("🔄 Reloaded 'wip'");
    // The installed copy was updated too, so a new process runs the new code.
    expect((await ws.ok(['wip', 'say'])).stdout).toBe('second\n');
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
});
