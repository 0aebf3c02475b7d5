// Issue 14 (8) through the binary: `keys add` stored a private key (and any file, 300 MB of junk
// included) as a trusted key; `keys remove` said "no longer trusted" while another file kept the key
// trusted; a plugin signed by a removed key kept loading under require_signatures, and
// `verify`/`info` still said valid.
import { closeSync, copyFileSync, existsSync, ftruncateSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
let key: { key_id: string; private_key: string; public_key: string };
beforeEach(async () => {
  ws = workspace();
  key = JSON.parse((await ws.prepare(['keys', 'generate', '--out', join(ws.root, 'author'), '--name', 'acme', '--json'])).stdout);
});
afterEach(() => ws.cleanup());

const stored = () => (existsSync(join(ws.home, 'keys')) ? readdirSync(join(ws.home, 'keys')) : []);

test('keys add refuses a private key without printing it', async () => {
  const outcome = await ws.run(['keys', 'add', key.private_key, '--json']);
  expect(outcome.code).toBe(1);
  const { error } = JSON.parse(outcome.stdout) as { error: { code: string; message: string } };
  expect(error.code).toBe('PRIVATE_KEY_REFUSED');
  expect(error.message).toContain('holds a private key');
  const text = await ws.run(['keys', 'add', key.private_key]);
  expect(text.stderr).toContain('add the public key instead');
  const material = readFileSync(key.private_key, 'utf8').split('\n')[1]!;
  expect(outcome.stdout + text.stdout + text.stderr).not.toContain(material);
  expect(stored()).toEqual([]);
});

test('keys add refuses a 300 MB file, and stores only the parsed public key', async () => {
  const huge = join(ws.root, 'huge.pem');
  const fd = openSync(huge, 'w');
  ftruncateSync(fd, 300 * 1024 * 1024);
  closeSync(fd);
  const outcome = await ws.run(['keys', 'add', huge]);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('a public key file is at most 65536 bytes');
  expect(stored()).toEqual([]);

  const padded = join(ws.root, 'padded.pem');
  writeFileSync(padded, `# acme's key\n${readFileSync(key.public_key, 'utf8')}\nsome junk that must not be stored\n`);
  expect((await ws.ok(['keys', 'add', padded])).stdout).toBe(`✅ Trusted key ${key.key_id} added\n`);
  // The key, and beside it what keys list shows of it (its name and when it was added).
  expect(stored()).toEqual([`${key.key_id}.json`, `${key.key_id}.pem`]);
  expect(readFileSync(join(ws.home, 'keys', `${key.key_id}.pem`), 'utf8')).toBe(readFileSync(key.public_key, 'utf8'));
});

test('a removed key is no longer trusted anywhere: plugins it signed stop loading, verify and info say so', async () => {
  const dir = writePluginFolder(ws.plugins, { name: 'signed', commands: [{ name: 'hi' }], body: `{ commands: { hi: () => 'hi' } }` });
  await ws.prepare(['plugin', 'sign', dir, '--key', key.private_key]);
  await ws.prepare(['keys', 'add', key.public_key]);
  // The same key under another name, as an operator who once copied it in by hand.
  copyFileSync(key.public_key, join(ws.home, 'keys', 'acme.pem'));
  writeFileSync(join(ws.home, 'config.json'), JSON.stringify({ require_signatures: true }));
  await ws.prepare(['plugin', 'install', dir, '--enable']);
  expect((await ws.ok(['signed', 'hi'])).stdout).toBe('hi\n');

  const removed = await ws.ok(['keys', 'remove', key.key_id]);
  expect(removed.stdout).toContain(`✅ Key ${key.key_id} is no longer trusted (removed 2 files that held it`);
  expect(stored()).toEqual([]);
  expect((await ws.ok(['keys', 'list'])).stdout).toContain('No trusted keys');

  const run = await ws.run(['signed', 'hi']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`its signing key ${key.key_id} is no longer trusted`);
  const list = JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout) as {
    plugins: Array<{ name: string; status: string; error?: string }>;
  };
  expect(list.plugins[0]).toMatchObject({ name: 'signed', status: 'error', error: expect.stringContaining('no longer trusted') });
  expect((await ws.run(['plugin', 'verify', 'signed'])).stdout).toMatch(/signed +files unchanged; signature untrusted/);
  expect((await ws.ok(['plugin', 'info', 'signed'])).stdout).toContain(
    `Signature:    untrusted (valid at install): signed by key ${key.key_id}, which is not among the trusted keys`,
  );
  const enable = await ws.run(['plugin', 'enable', 'signed']);
  expect(enable.code).toBe(1);

  // Trusting it again is the way back.
  await ws.ok(['keys', 'add', key.public_key]);
  await ws.ok(['plugin', 'enable', 'signed']);
  expect((await ws.ok(['signed', 'hi'])).stdout).toBe('hi\n');
});
