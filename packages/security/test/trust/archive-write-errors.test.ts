import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractArchive, TrustError } from '@marathon/security';
import { tarball, type RawEntry } from './tar-writer';

// Found by the reliability fuzz suite: an entry whose path runs through a file written earlier
// ('a', then 'a/b') made mkdir throw ENOTDIR inside the tar parser's event. That was an uncaught
// exception, the extraction promise never settled, and the half-written folder stayed behind.
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-archive-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const cases: Array<[string, RawEntry[]]> = [
  [
    'a folder below a file',
    [
      { path: 'a', content: 'x' },
      { path: 'a/b/', type: 'dir' },
    ],
  ],
  [
    'a file below a file',
    [
      { path: 'a', content: 'x' },
      { path: 'a/b', content: 'y' },
    ],
  ],
  [
    'a file below a file, deeper',
    [
      { path: 'lib/', type: 'dir' },
      { path: 'lib/x', content: 'x' },
      { path: 'lib/x/y/z.js', content: 'y' },
    ],
  ],
];

it.each(cases)('refuses %s with a TrustError and leaves nothing behind', async (_name, entries) => {
  const file = join(root, 'plugin.tgz');
  writeFileSync(file, tarball(entries));
  const target = join(root, 'work', 'unpacked');
  const error = await extractArchive(file, target, { maxBytes: 1024 * 1024, maxEntries: 100 }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TrustError);
  expect((error as TrustError).code).toBe('ARCHIVE_REFUSED');
  expect((error as TrustError).message).toMatch(/cannot be written \((ENOTDIR|EEXIST)\)/);
  expect(existsSync(target)).toBe(false);
  expect(readdirSync(root).sort()).toEqual(['plugin.tgz', 'work']);
});

// Also found by the fuzz suite: the entry limit counted entries, not the folders their paths
// create, so a few entries with deep paths ('d/d/d/…/f') made far more folders than the limit.
it("counts the folders an entry's path creates against the entry limit", async () => {
  const file = join(root, 'plugin.tgz');
  writeFileSync(file, tarball([{ path: `${'d/'.repeat(40)}f.js`, content: 'x' }]));
  const target = join(root, 'work', 'unpacked');
  const limits = { maxBytes: 1024 * 1024, maxEntries: 20 };
  await expect(extractArchive(file, target, limits)).rejects.toThrow(/more than 20 entries \(counting the folders their paths create\)/);
  expect(existsSync(target)).toBe(false);
  const shallow = join(root, 'shallow.tgz');
  writeFileSync(
    shallow,
    tarball([
      { path: 'lib/', type: 'dir' },
      { path: 'lib/a/b.js', content: 'x' },
      { path: 'lib/a/c.js', content: 'y' },
    ]),
  );
  // lib (explicit), lib/a (made by the path), two files: four entries.
  await expect(extractArchive(shallow, join(root, 'out4'), { ...limits, maxEntries: 4 })).resolves.toMatchObject({
    files: ['lib/a/b.js', 'lib/a/c.js'],
  });
  await expect(extractArchive(shallow, join(root, 'out3'), { ...limits, maxEntries: 3 })).rejects.toThrow(/more than 3 entries/);
});
