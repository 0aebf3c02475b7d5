// Issue 14 (1, 10): a lockfile named plugins with git URLs (which then reached pacote), repeated
// keys resolved silently to the last, Object.prototype keys and a 180 MB file were all read.
// Lockfiles are now strict JSON, bounded, and name each plugin as a package can be named.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagerError, MAX_LOCKFILE_BYTES, parseLockfile, readLockfile } from '@marathon/manager';
import { managerError } from './helpers';

const entry = (name: string, extra: Record<string, unknown> = {}) => ({
  version: '1.0.0',
  source: { kind: 'npm', spec: `${name}@1.0.0` },
  integrity: `sha512-${Buffer.alloc(64).toString('base64')}`,
  enabled: true,
  permissions: ['task_read'],
  ...extra,
});
const lock = (plugins: Record<string, unknown>) => JSON.stringify({ lockfileVersion: 1, plugins });

function refusal(text: string): ManagerError {
  try {
    parseLockfile(text, 'fleet.lock.json');
  } catch (error) {
    if (error instanceof ManagerError) return error;
    throw error;
  }
  throw new Error('expected LOCKFILE_INVALID');
}

it('accepts what plugin export writes', () => {
  expect(
    Object.keys(parseLockfile(lock({ 'hello-world': entry('hello-world'), '@acme/notes': entry('@acme/notes') }), 'f').plugins),
  ).toEqual(['hello-world', '@acme/notes']);
});

it.each([
  ['by a git URL', 'git+file:///tmp/repo@1.0.0'],
  ['by a URL', 'https://evil.example/x.tgz'],
  ['__proto__', '__proto__'],
  ['with a capital letter', 'toString'],
  ['by a path', '../escape'],
])('refuses a plugin named %s, with its reason', (_what, name) => {
  const error = refusal(lock({ [name]: entry('hello-world') }));
  expect(error.code).toBe('LOCKFILE_INVALID');
  expect(
    error.details.some((line) => line.startsWith(`plugins[${JSON.stringify(name)}]: `) && line.includes('is not a valid package name')),
  ).toBe(true);
});

it('refuses a key given twice, saying where (JSON.parse kept the last one silently)', () => {
  const text = `{"lockfileVersion":1,"plugins":{"notes":${JSON.stringify(entry('notes'))},\n"notes":${JSON.stringify(entry('notes', { version: '6.6.6' }))}}}`;
  expect(refusal(text).message).toBe('fleet.lock.json is not valid JSON: key plugins.notes appears twice; keep one at line 2, column 1');
});

it.each([
  [
    'an npm spec of another package',
    entry('notes', { source: { kind: 'npm', spec: 'other@1.0.0' } }),
    "plugins.notes.source.spec: an npm source of 'notes' must be 'notes@<version>'",
  ],
  [
    'a search-path spec of another name',
    entry('notes', { source: { kind: 'search-path', spec: 'evil' } }),
    "plugins.notes.source.spec: a search-path source of 'notes' must be its name",
  ],
  [
    'a relative folder',
    entry('notes', { source: { kind: 'folder', spec: 'plugins/notes' } }),
    'plugins.notes.source.spec: a folder source must be an absolute path',
  ],
  [
    'a url that is not http(s)',
    entry('notes', { source: { kind: 'url', spec: 'git+ssh://host/repo' } }),
    'plugins.notes.source.spec: a url source must be an http(s) URL',
  ],
  ['a range instead of a version', entry('notes', { version: '^1.0.0' }), 'plugins.notes.version: must be an exact version, like 1.0.0'],
])('refuses %s', (_what, bad, detail) => {
  expect(refusal(lock({ notes: bad })).details).toContain(detail);
});

it('refuses a lockfile over the size cap unread, and a FIFO without waiting on it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marathon-lock-'));
  try {
    const big = join(dir, 'big.json');
    writeFileSync(big, lock({ notes: entry('notes', { padding: 'x'.repeat(MAX_LOCKFILE_BYTES) }) }));
    const error = await managerError(() => readLockfile(big));
    expect([error.code, error.message]).toEqual([
      'LOCKFILE_INVALID',
      `${big} is larger than ${MAX_LOCKFILE_BYTES} bytes; a Marathon lockfile lists plugins, it does not hold data`,
    ]);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect((await managerError(() => readLockfile(fifo))).message).toBe(`${fifo} is not a regular file`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
