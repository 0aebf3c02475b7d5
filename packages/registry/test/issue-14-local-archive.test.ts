// Issue 14 (9): `--integrity` on a local .tgz hashed one read of the path and unpacked another, so a
// FIFO that served the good archive first and another one second installed the other content
// under the good digest. Now the path is read once, into a copy that is hashed and unpacked, and
// only a regular file is read at all.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError, stageSource, type StageOptions } from '@marathon/registry';
import { packPlugin } from './hostile-server';

let root: string;
let staging: string;
let writer: ChildProcess | undefined;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-issue14-archive-'));
  staging = join(root, 'staging');
});
afterEach(() => {
  if (writer?.pid !== undefined && writer.exitCode === null) process.kill(writer.pid, 'SIGKILL');
  writer = undefined;
  rmSync(root, { recursive: true, force: true });
});

const options = (extra: Partial<StageOptions> = {}): StageOptions => ({
  paths: [],
  stagingDir: staging,
  maxBytes: 1024 * 1024,
  maxEntries: 100,
  ...extra,
});
const digest = (file: string) => `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;

it('refuses a FIFO that would hand the unpacker other bytes than the ones --integrity matched', async () => {
  const good = packPlugin(root, 'good');
  const evil = packPlugin(root, 'evil', { 'index.js': 'require("child_process")' });
  const fifo = join(root, 'plugin.tgz');
  execFileSync('mkfifo', [fifo]);
  // The attacker: the good archive to the first reader, the evil one to the second (the pause
  // lets the first reader see the end of the good one).
  writer = spawn('sh', ['-c', 'cat "$1" > "$3"; sleep 0.3; cat "$2" > "$3"', 'sh', good, evil, fifo], { stdio: 'ignore' });
  const outcome = await stageSource(fifo, options({ integrity: digest(good) })).catch((error: unknown) => error);
  expect(outcome).toBeInstanceOf(RegistryError);
  expect(outcome).toMatchObject({
    code: 'SOURCE_UNSUPPORTED',
    message: expect.stringContaining(`${fifo} is a named pipe (FIFO), not a regular file`),
  });
  expect(readdirSync(staging)).toEqual([]);
});

it('refuses a device instead of reading it forever', async () => {
  const device = join(root, 'zero.tgz');
  symlinkSync('/dev/zero', device);
  await expect(stageSource(device, options())).rejects.toMatchObject({
    code: 'SOURCE_UNSUPPORTED',
    message: expect.stringContaining('is a device, not a regular file'),
  });
  expect(readdirSync(staging)).toEqual([]);
});

it('refuses an archive over max_plugin_size before reading it', async () => {
  const file = packPlugin(root, 'big', { 'data.bin': randomBytes(4096).toString('base64') });
  await expect(stageSource(file, options({ maxBytes: 1000 }))).rejects.toMatchObject({
    code: 'SOURCE_UNSUPPORTED',
    message: expect.stringContaining('is over the 1000 bytes a plugin may be'),
  });
  expect(readdirSync(staging)).toEqual([]);
});

it('hashes and unpacks one copy: the digest recorded is the archive read, and --integrity is checked against it', async () => {
  const file = packPlugin(root, 'packed');
  await expect(stageSource(file, options({ integrity: `sha512-${Buffer.alloc(64).toString('base64')}` }))).rejects.toThrow(
    'does not match --integrity',
  );
  const staged = await stageSource(file, options({ integrity: digest(file) }));
  expect(staged).toMatchObject({ kind: 'tgz', spec: file, integrity: digest(file) });
  // The copy that was hashed and unpacked is removed once unpacked: staging holds only the plugin.
  expect(readdirSync(staged.stagingRoot)).toEqual(['unpacked']);
  expect(JSON.parse(readFileSync(join(staged.dir, 'plugin.json'), 'utf8'))).toMatchObject({ name: 'packed' });
});
