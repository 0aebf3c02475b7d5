// Fuzzing the archive unpack path: 10,000 generated .tgz files fed to stageSource, the function
// `marathon plugin install ./x.tgz` stages with. Random bytes, damaged real tarballs, and entries a
// hostile author writes by hand (paths out of the folder, links, devices, sizes that lie, too many
// entries). Every outcome must be a staged folder or a structured refusal (RegistryError or the
// trust gate's TrustError, each with a code); nothing may be written outside the staging folder,
// and a refused archive must leave nothing behind.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { RegistryError, stageSource, type StagedSource } from '@marathon/registry';
import { TrustError } from '@marathon/security';
import { tarball, type EntryType, type TarEntry } from './tar-writer';

const MAX_BYTES = 16 * 1024;
const MAX_ENTRIES = 20;
/** Only a hang detector: a refusal takes milliseconds, so this never decides a pass on speed. */
const HANG_MS = 60_000;

let root: string;
let archives: string;
let sandbox: string;
let staging: string;
let before: string;
let counter = 0;
const outcomes = { staged: 0, refused: 0 };

/** Every path under `dir` with its kind and size, except the folders the run may touch. */
function snapshot(dir: string, skip: readonly string[]): string {
  const lines: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const full = join(dir, name);
    if (skip.some((folder) => full === folder || full.startsWith(folder + sep))) continue;
    const info = lstatSync(full);
    lines.push(`${name} ${info.isDirectory() ? 'dir' : info.isSymbolicLink() ? 'link' : 'file'} ${info.isDirectory() ? 0 : info.size}`);
  }
  return lines.join('\n');
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-fuzz-archives-'));
  archives = join(root, 'archives');
  sandbox = join(root, 'sandbox');
  staging = join(sandbox, 'staging');
  mkdirSync(archives);
  mkdirSync(join(sandbox, 'outside'), { recursive: true });
  mkdirSync(staging);
  writeFileSync(join(sandbox, 'sentinel.txt'), 'must stay as it is');
  writeFileSync(join(sandbox, 'outside', 'victim.js'), 'export default 1;');
  before = snapshot(root, [archives, staging]);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  // Both outcomes must occur, or the generators have gone blind.
  expect(outcomes.staged).toBeGreaterThan(500);
  expect(outcomes.refused).toBeGreaterThan(5_000);
});

function fail(what: string, archive: Buffer): never {
  if (process.env.FUZZ_DUMP !== undefined) writeFileSync(process.env.FUZZ_DUMP, archive);
  throw new Error(`${what}\narchive (${archive.length} bytes, first 64 hex): ${archive.subarray(0, 64).toString('hex')}`);
}

/** The staged folder holds only files and folders, all inside it, within the limits. */
function checkStaged(staged: StagedSource, archive: Buffer): void {
  const inside = relative(staging, staged.stagingRoot);
  if (inside === '' || inside.startsWith('..') || inside.includes(sep))
    fail(`staging root ${staged.stagingRoot} is not a fresh folder of ${staging}`, archive);
  if (!(staged.dir + sep).startsWith(staged.stagingRoot + sep)) fail(`staged dir ${staged.dir} is outside ${staged.stagingRoot}`, archive);
  if (staged.kind !== 'tgz' || staged.integrity?.startsWith('sha512-') !== true)
    fail(`unexpected staged source ${JSON.stringify(staged)}`, archive);
  let bytes = 0;
  let entries = 0;
  for (const name of readdirSync(staged.stagingRoot, { recursive: true }).map(String)) {
    const info = lstatSync(join(staged.stagingRoot, name));
    if (!info.isFile() && !info.isDirectory()) fail(`staged ${name} is neither a file nor a folder`, archive);
    if (info.isFile()) bytes += info.size;
    entries += 1;
  }
  if (bytes > MAX_BYTES || entries > MAX_ENTRIES + 1) fail(`staged ${bytes} bytes in ${entries} entries, over the limits`, archive);
}

function checkRefusal(error: unknown, archive: Buffer): void {
  const structured = error instanceof RegistryError || error instanceof TrustError;
  if (!structured) fail(`threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`, archive);
  if (!/^[A-Z_]+$/.test(error.code) || error.message.trim() === '') fail(`unstructured refusal ${error.code}: ${error.message}`, archive);
}

async function stage(archive: Buffer): Promise<void> {
  counter += 1;
  const file = join(archives, `a${counter}.tgz`);
  writeFileSync(file, archive);
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('stageSource never settled')), HANG_MS);
  });
  let outcome: { staged: StagedSource } | { error: unknown };
  try {
    outcome = {
      staged: await Promise.race([
        stageSource(file, { paths: [], stagingDir: staging, maxBytes: MAX_BYTES, maxEntries: MAX_ENTRIES }),
        hang,
      ]),
    };
  } catch (error) {
    outcome = { error };
  } finally {
    clearTimeout(timer);
    rmSync(file, { force: true });
  }
  if ('staged' in outcome) {
    try {
      checkStaged(outcome.staged, archive);
    } finally {
      rmSync(outcome.staged.stagingRoot, { recursive: true, force: true });
    }
    outcomes.staged += 1;
  } else {
    if (outcome.error instanceof Error && outcome.error.message === 'stageSource never settled') fail(outcome.error.message, archive);
    checkRefusal(outcome.error, archive);
    outcomes.refused += 1;
  }
  // Success was cleaned up above; a refusal must have cleaned up after itself.
  const left = readdirSync(staging);
  if (left.length > 0) {
    // Cleared before failing, so that the shrinking runs that follow each start clean.
    for (const name of left) rmSync(join(staging, name), { recursive: true, force: true });
    fail(`staging held ${left.join(', ')} after the run`, archive);
  }
  const after = snapshot(root, [archives, staging]);
  if (after !== before) fail(`something was written outside the staging folder:\n${after}`, archive);
}

// --- generators -------------------------------------------------------------------------------

const MANIFEST = Buffer.from(JSON.stringify({ name: 'fuzzed', version: '1.0.0', api_version: '1.0.0' }));
const CODE = Buffer.from('export default { hooks: {} };\n');
/** A gzip bomb: a few KB that inflate to 4 MB, far past the limit. */
const BOMB = gzipSync(tarball([{ path: 'bomb.js', type: 'file', body: Buffer.alloc(4 * 1024 * 1024) }]));

/** Paths an attacker writes: out of the folder by '..' (to sandbox/outside at the right depth), absolute, odd. */
const hostilePath = fc.oneof(
  fc.nat({ max: 6 }).map((up) => `${'../'.repeat(up + 1)}outside/pwned.js`),
  fc.constantFrom(
    'package/../../outside/pwned.js',
    './../outside/x',
    'a/../../b',
    '..',
    '.',
    './',
    '',
    '/',
    '//x',
    `${'/'}tmp/marathon-fuzz-pwned`,
    'C:\\pwned.js',
    'C:/pwned.js',
    'a\\..\\..\\pwned.js',
    '..\\pwned.js',
    'a\u0000b.js',
    'plugin.json\u0000.txt',
    '\u202eplugin.json',
    'ﾟ/ｶ.js',
    'package/plugin.json',
    'package/',
    'plugin.json',
    'index.js',
  ),
  fc.constant(null).map(() => join(sandbox, 'outside', 'absolute-pwned.js')),
  fc.integer({ min: 90, max: 2000 }).map((n) => 'd/'.repeat(Math.floor(n / 4)) + 'x'.repeat(n % 300)),
  fc.integer({ min: 250, max: 400 }).map((n) => `${'n'.repeat(n)}/f.js`),
  fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8}){0,3}(\.js|\.json|\/)?$/),
  fc.string({ unit: 'binary', maxLength: 60 }),
);
const entryType = fc.constantFrom<EntryType>(
  'file',
  'file',
  'file',
  'dir',
  'symlink',
  'hardlink',
  'chardev',
  'blockdev',
  'fifo',
  'gnu-longname',
  'global-pax',
  'unknown',
);
const linkTarget = fc.oneof(
  fc.constantFrom('../../../outside/victim.js', '/etc/passwd', '..', 'plugin.json', '../../..', ''),
  fc.constant(null).map(() => join(sandbox, 'sentinel.txt')),
);
const declaredSize = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(0, 1, 511, 512, 513, MAX_BYTES + 1, 2 ** 31, 2 ** 33 + 7, 2 ** 40),
  fc.nat({ max: 10_000 }),
);
const hostileEntry: fc.Arbitrary<TarEntry> = fc.record({
  path: hostilePath,
  type: entryType,
  body: fc.oneof(
    fc.constant(undefined),
    fc.constant(MANIFEST),
    fc.uint8Array({ maxLength: 1500 }).map((bytes) => Buffer.from(bytes)),
  ),
  declaredSize,
  linkTarget: fc.option(linkTarget, { nil: undefined }),
  pax: fc.boolean(),
});

interface Packing {
  gzip: boolean;
  unterminated: boolean;
}
const packing = fc.record({ gzip: fc.boolean(), unterminated: fc.boolean() });

function pack(entries: readonly TarEntry[], how: Packing): Buffer {
  const tar = tarball(entries, how.unterminated);
  return how.gzip ? gzipSync(tar) : tar;
}

/** A well-formed plugin archive, at the root or under npm's package/ (or another) folder. */
const goodEntries = fc
  .tuple(fc.constantFrom('', 'package/', 'deep/er/'), fc.array(fc.stringMatching(/^[a-z]{1,6}\.js$/), { maxLength: 4 }), fc.boolean())
  .map(([prefix, extra, withManifest]): TarEntry[] => {
    const files = [...new Set(extra)].filter((name) => name !== 'index.js');
    return [
      ...(prefix === '' ? [] : [{ path: prefix, type: 'dir' as const }]),
      ...(withManifest ? [{ path: `${prefix}plugin.json`, type: 'file' as const, body: MANIFEST }] : []),
      { path: `${prefix}index.js`, type: 'file' as const, body: CODE },
      ...files.map((name) => ({ path: `${prefix}${name}`, type: 'file' as const, body: Buffer.from(`// ${name}\n`) })),
    ];
  });

type Damage = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; xor: number }[] | { kind: 'append'; junk: Uint8Array };
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.nat().map((at) => ({ kind: 'truncate' as const, at })),
  fc.array(fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), {
    minLength: 1,
    maxLength: 8,
  }),
  fc.uint8Array({ minLength: 1, maxLength: 600 }).map((junk) => ({ kind: 'append' as const, junk })),
);

function applyDamage(archive: Buffer, how: Damage): Buffer {
  if (Array.isArray(how)) {
    const copy = Buffer.from(archive);
    for (const flip of how) copy[flip.at % copy.length] = (copy[flip.at % copy.length] ?? 0) ^ flip.xor;
    return copy;
  }
  if (how.kind === 'truncate') return archive.subarray(0, how.at % archive.length);
  return Buffer.concat([archive, Buffer.from(how.junk)]);
}

// --- properties -------------------------------------------------------------------------------

describe('fuzzing the archive unpack path (10,000 generated archives)', () => {
  it('random bytes, raw and gzipped (1,500)', async () => {
    const bytes = fc.tuple(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), fc.boolean()).map(([raw, gzip, magic]) => {
      const body = magic ? Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from(raw)]) : Buffer.from(raw);
      return gzip ? gzipSync(body) : body;
    });
    await fc.assert(fc.asyncProperty(bytes, stage), { numRuns: 1_500 });
  });

  it('real plugin tarballs, truncated, bit-flipped or with junk appended (2,500)', async () => {
    const damaged = fc.tuple(goodEntries, packing, damage, fc.boolean()).map(([entries, how, hurt, damageTar]) =>
      // Damage the tar inside a sound gzip stream, or the gzip stream itself.
      damageTar && how.gzip ? gzipSync(applyDamage(tarball(entries, how.unterminated), hurt)) : applyDamage(pack(entries, how), hurt),
    );
    await fc.assert(fc.asyncProperty(damaged, stage), { numRuns: 2_500 });
  });

  it('hostile entries: paths out, absolute, backslashes, NUL, long; links, devices, lying sizes (4,000)', async () => {
    const hostile = fc
      .tuple(goodEntries, fc.array(hostileEntry, { minLength: 1, maxLength: 5 }), fc.nat(), packing)
      .map(([good, bad, at, how]) => {
        const entries: TarEntry[] = [...good];
        entries.splice(at % (entries.length + 1), 0, ...bad);
        return pack(entries, how);
      });
    await fc.assert(fc.asyncProperty(hostile, stage), { numRuns: 4_000 });
  });

  it('structure: good archives, many entries, duplicate names, missing or nested plugin.json (2,000)', async () => {
    const structural = fc.oneof(
      fc.tuple(goodEntries, packing).map(([entries, how]) => pack(entries, how)),
      fc.tuple(fc.integer({ min: MAX_ENTRIES - 3, max: MAX_ENTRIES * 2 }), fc.boolean()).map(([count, dirs]) =>
        pack(
          Array.from({ length: count }, (_, index) => ({
            path: dirs ? `d${index}/` : `f${index}.js`,
            type: dirs ? ('dir' as const) : ('file' as const),
            body: dirs ? undefined : CODE,
          })),
          { gzip: true, unterminated: false },
        ),
      ),
      fc.tuple(goodEntries, fc.nat(), fc.constantFrom('', './', 'x/../')).map(([entries, pick, prefix]) => {
        const twin = entries[pick % entries.length]!;
        return pack([...entries, { ...twin, path: `${prefix}${twin.path}` }], { gzip: true, unterminated: false });
      }),
      fc.integer({ min: 1, max: 4 }).map((big) =>
        pack(
          [
            { path: 'plugin.json', type: 'file', body: MANIFEST },
            ...Array.from({ length: big }, (_, index) => ({
              path: `blob${index}.js`,
              type: 'file' as const,
              body: Buffer.alloc(MAX_BYTES / 3, 0x61),
            })),
          ],
          { gzip: true, unterminated: false },
        ),
      ),
      fc.constant(BOMB),
    );
    await fc.assert(fc.asyncProperty(structural, stage), { numRuns: 2_000 });
  });
});
