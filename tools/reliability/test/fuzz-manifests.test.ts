// Fuzzing the plugin.json parser: 100,000 generated manifests, as values and as text. Whatever a
// plugin author (or an attacker) puts in plugin.json, the parser either returns a manifest that
// keeps its promises or throws a ManifestError that says what is wrong where — never a TypeError,
// a RangeError or anything else a caller cannot report.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { HOOK_TYPES, PERMISSIONS } from '@marathon/plugin-api';
import { ManifestError, parseManifest, parseManifestJson, type Manifest } from '@marathon/manifest';

const KNOWN_CODES = new Set(['MANIFEST_INVALID', 'MANIFEST_NOT_FOUND', 'MANIFEST_UNREADABLE', 'MANIFEST_BAD_JSON', 'MANIFEST_TOO_LARGE']);
const NAME = /^(?:@[a-z0-9-*~][a-z0-9-*._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-.]+)?(?:\+[0-9A-Za-z-.]+)?$/;
const outcomes = { accepted: 0, refused: 0 };

// Plain throws rather than expect(): these run 100,000 times and must stay cheap.
function fail(what: string, input: unknown): never {
  const shown = typeof input === 'string' ? input.slice(0, 300) : JSON.stringify(input)?.slice(0, 300);
  throw new Error(`${what}\ninput: ${shown}`);
}

function checkRefusal(error: unknown, input: unknown): void {
  if (!(error instanceof ManifestError)) {
    fail(
      `threw ${(error as Error)?.constructor?.name ?? typeof error} instead of ManifestError: ${String((error as Error)?.message ?? error)}`,
      input,
    );
  }
  if (!KNOWN_CODES.has(error.code)) fail(`unknown code ${error.code}`, input);
  if (error.message.trim() === '' || error.issues.length === 0) fail('a ManifestError without a message or issues', input);
  for (const issue of error.issues) {
    if (typeof issue.path !== 'string' || issue.path === '' || typeof issue.message !== 'string' || issue.message.trim() === '') {
      fail(`malformed issue ${JSON.stringify(issue)}`, input);
    }
    // An invalid manifest's message lists each problem at its path.
    if (error.code === 'MANIFEST_INVALID' && !error.message.includes(`${issue.path}: `)) fail(`message does not name ${issue.path}`, input);
  }
  outcomes.refused += 1;
}

function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen);
}

/** What an accepted manifest promises its readers (the loader, the trust gate, the CLI). */
function checkAccepted(manifest: Manifest, input: unknown): void {
  if (!NAME.test(manifest.name) || manifest.name.length > 214) fail(`accepted name ${manifest.name}`, input);
  if (!SEMVER.test(manifest.version)) fail(`accepted version ${manifest.version}`, input);
  if (!SEMVER.test(manifest.api_version)) fail(`accepted api_version ${manifest.api_version}`, input);
  if (manifest.main.startsWith('/') || manifest.main.split('/').includes('..') || !/\.m?js$/.test(manifest.main))
    fail(`accepted main ${manifest.main}`, input);
  if (new Set(manifest.permissions).size !== manifest.permissions.length || !manifest.permissions.every((p) => PERMISSIONS.includes(p))) {
    fail('accepted permissions', input);
  }
  if (!manifest.hooks.every((hook) => HOOK_TYPES.includes(hook.name) && Number.isSafeInteger(hook.priority))) fail('accepted hooks', input);
  if (manifest.permissions.includes('network') && manifest.network === undefined) fail('network without allowed_hosts', input);
  if (manifest.permissions.includes('exec') && manifest.exec === undefined) fail('exec without allowed_commands', input);
  if (!deeplyFrozen(manifest)) fail('manifest is not deeply frozen', input);
  if (Object.getPrototypeOf(manifest) !== Object.prototype || Object.getPrototypeOf(manifest.limits) !== Object.prototype)
    fail('prototype changed', input);
  // The normalised form is a fixed point: written back to JSON and read again, it is the same.
  const again = parseManifestJson(JSON.stringify(manifest));
  if (!isDeepStrictEqual(again, manifest)) fail(`re-parse differs: ${JSON.stringify(again)}`, input);
  outcomes.accepted += 1;
}

function checkValue(input: unknown): void {
  let manifest: Manifest;
  try {
    manifest = parseManifest(input);
  } catch (error) {
    return checkRefusal(error, input);
  }
  checkAccepted(manifest, input);
}

function checkText(text: string): void {
  let manifest: Manifest;
  try {
    manifest = parseManifestJson(text, { file: 'fuzz/plugin.json' });
  } catch (error) {
    return checkRefusal(error, text);
  }
  checkAccepted(manifest, text);
  // Text the strict parser accepts means the same to JSON.parse.
  const direct = parseManifest(JSON.parse(text.replace(/^\uFEFF/, '')));
  if (!isDeepStrictEqual(direct, manifest)) fail('text and value parse differ', text);
}

type Outcome = { manifest: Manifest } | { error: unknown };

function outcomeOf(parse: () => Manifest): Outcome {
  try {
    return { manifest: parse() };
  } catch (error) {
    return { error };
  }
}

/** A manifest given as a value and as its JSON text: both checked, and both must agree. */
function checkValueAndText(input: Record<string, unknown>): void {
  const text = JSON.stringify(input);
  const fromValue = outcomeOf(() => parseManifest(input));
  const fromText = outcomeOf(() => parseManifestJson(text));
  if ('error' in fromValue) checkRefusal(fromValue.error, input);
  else checkAccepted(fromValue.manifest, input);
  if ('error' in fromText) checkRefusal(fromText.error, text);
  if ('manifest' in fromValue !== 'manifest' in fromText) fail('the value and its JSON text were judged differently', input);
  if ('manifest' in fromValue && 'manifest' in fromText && !isDeepStrictEqual(fromValue.manifest, fromText.manifest))
    fail('value and text parse differ', input);
}

// --- generators -------------------------------------------------------------------------------

const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'Name',
  'permission',
  '$schema',
  '',
];
const FIELDS = [
  'name',
  'version',
  'description',
  'author',
  'api_version',
  'main',
  'permissions',
  'hooks',
  'commands',
  'dependencies',
  'network',
  'env_vars',
  'exec',
  'limits',
];

const semverText = fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map((parts) => parts.join('.'));
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const weirdString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\0',
    '../index.js',
    '/etc/passwd.js',
    'C:\\x.js',
    'a\\b.js',
    './a/../../b.js',
    '*',
    '*.',
    '..',
    'v1.0.0',
    '1.0',
    '^1',
    '01.0.0',
    'ftp://x',
    'Node_Modules',
    '\u{1F600}',
    '\u202e',
  ),
  fc.nat(3000).map((n) => 'a'.repeat(n)),
);
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 53) - 2, 0.5, -0, 1e-320, Number.MAX_SAFE_INTEGER, -1, 0, 4294967296);
const jsonValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: weirdString },
  { weight: 1, arbitrary: hugeNumber },
);

const validManifest = fc
  .record(
    {
      name: fc.oneof(
        word.map((w) => `plugin-${w}`),
        fc.tuple(word, word).map(([scope, w]) => `@${scope}/p-${w}`),
      ),
      version: fc.oneof(
        semverText,
        semverText.map((v) => `${v}-beta.1`),
        semverText.map((v) => `${v}+build.7`),
      ),
      api_version: fc.constantFrom('1.0.0', '1.2.3', '0.9.0'),
      description: fc.string({ maxLength: 60 }),
      author: fc.oneof(
        fc.constant('Ann <ann@example.com> (https://a.example)'),
        fc.record({ name: fc.constant('Ann'), email: fc.constant('a@example.com') }),
      ),
      main: fc.constantFrom('index.js', 'lib/main.mjs', './dist/a.js'),
      permissions: fc.subarray([...PERMISSIONS]),
      hooks: fc
        .subarray([...HOOK_TYPES])
        .chain((hooks) =>
          fc.tuple(
            ...hooks.map((name) =>
              fc.oneof(fc.constant<unknown>(name), fc.record({ name: fc.constant(name), priority: fc.integer({ min: -1000, max: 1000 }) })),
            ),
          ),
        ),
      commands: fc.uniqueArray(word, { maxLength: 3 }),
      dependencies: fc.dictionary(
        word.map((w) => `dep-${w}`),
        semverText.map((v) => `^${v}`),
        { maxKeys: 2 },
      ),
      limits: fc.record({ max_memory: fc.integer({ min: 1024 * 1024, max: 16 * 1024 * 1024 }) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['name', 'version', 'api_version'] },
  )
  .map((manifest) => {
    const permissions = (manifest.permissions ?? []) as string[];
    return {
      ...manifest,
      ...(permissions.includes('network') ? { network: { allowed_hosts: ['api.example.com', '*.example.org'] } } : {}),
      ...(permissions.includes('env_vars') ? { env_vars: { allowed: ['TOKEN'] } } : {}),
      ...(permissions.includes('exec') ? { exec: { allowed_commands: ['git'] } } : {}),
    } as Record<string, unknown>;
  });

type Mutation = (manifest: Record<string, unknown>) => void;

/** Sets an own property, even `__proto__`, the way JSON.parse does. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), jsonValue).map(
    ([field, value]): Mutation =>
      (m) =>
        setOwn(m, field, value),
  ),
  fc.constantFrom(...FIELDS).map(
    (field): Mutation =>
      (m) =>
        void delete m[field],
  ),
  fc.tuple(fc.constantFrom(...HOSTILE_KEYS), jsonValue).map(
    ([key, value]): Mutation =>
      (m) =>
        setOwn(m, key, value),
  ),
  // Inside the nested blocks, where the deeper rules run.
  fc.tuple(fc.constantFrom('permissions', 'hooks', 'commands'), jsonValue).map(([field, value]): Mutation => (m) => {
    const list = Array.isArray(m[field]) ? (m[field] as unknown[]) : [];
    setOwn(m, field, [...list, value, ...list.slice(0, 1)]);
  }),
  fc
    .tuple(
      fc.constantFrom('dependencies', 'limits', 'network', 'env_vars', 'exec', 'author'),
      fc.constantFrom(...HOSTILE_KEYS, 'max_memory', 'max_cpu_time_ms', 'allowed_hosts', 'allowed', 'allowed_commands', 'email'),
      jsonValue,
    )
    .map(([field, key, value]): Mutation => (m) => {
      const block =
        typeof m[field] === 'object' && m[field] !== null && !Array.isArray(m[field]) ? { ...(m[field] as Record<string, unknown>) } : {};
      setOwn(block, key, value);
      setOwn(m, field, block);
    }),
  fc.tuple(fc.constantFrom('priority', 'name'), fc.oneof(hugeNumber, weirdString)).map(([key, value]): Mutation => (m) => {
    setOwn(m, 'hooks', [{ name: 'cli_command', [key]: value }]);
  }),
);

// One in five stays well-formed, so that the accepted side (and its invariants) is exercised too.
const mutatedManifest = fc.oneof(
  { weight: 1, arbitrary: validManifest },
  {
    weight: 4,
    arbitrary: fc.tuple(validManifest, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([manifest, mutations]) => {
      const copy = { ...manifest };
      for (const mutate of mutations) mutate(copy);
      return copy;
    }),
  },
);

// Hostile JSON text, built by hand: what JSON.stringify never writes.
const repeatedKeys = fc.tuple(validManifest, fc.constantFrom(...FIELDS, '__proto__'), jsonValue).map(([manifest, key, value]) => {
  const text = JSON.stringify(manifest);
  return `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'},${JSON.stringify(key)}:1}`;
});
const protoText = fc
  .tuple(
    validManifest,
    fc.constantFrom('__proto__', 'constructor', 'prototype'),
    fc.constantFrom('', 'limits', 'dependencies', 'author', 'network'),
  )
  .map(([manifest, key, field]) => {
    const text = JSON.stringify(manifest);
    const hostile = `{${JSON.stringify(key)}:{"max_memory":1,"isAdmin":true,"polluted":"yes"}}`;
    return field === ''
      ? `{${JSON.stringify(key)}:${hostile},${text.slice(1)}`
      : `${text.slice(0, -1)},${JSON.stringify(field)}:${hostile}}`;
  });
const hugeNumberText = fc
  .tuple(
    fc.constantFrom(
      '1e999',
      '-1e999',
      '123456789012345678901234567890',
      '0.0000000000000000000000001',
      '1E+400',
      '-0',
      '1.0',
      '9007199254740993',
    ),
    fc.constantFrom('priority', 'max_memory', 'version', 'name'),
  )
  .map(([number, key]) =>
    key === 'priority'
      ? `{"name":"p","version":"1.0.0","api_version":"1.0.0","hooks":[{"name":"cli_command","priority":${number}}]}`
      : key === 'max_memory'
        ? `{"name":"p","version":"1.0.0","api_version":"1.0.0","limits":{"max_memory":${number}}}`
        : `{"name":"p","version":"1.0.0","api_version":"1.0.0",${JSON.stringify(key)}:${number}}`,
  );
const deepText = fc
  .tuple(
    fc.integer({ min: 1, max: 50_000 }),
    fc.constantFrom('[', '{"a":'),
    fc.constantFrom('', 'limits', 'hooks', 'dependencies'),
    fc.boolean(),
  )
  .map(([depth, open, field, closed]) => {
    const close = open === '[' ? ']' : '}';
    const nested = `${open.repeat(depth)}${open === '[' ? '' : '1'}${closed ? close.repeat(depth) : ''}`;
    return field === '' ? nested : `{"name":"p","version":"1.0.0","api_version":"1.0.0",${JSON.stringify(field)}:${nested}}`;
  });
/** A valid manifest's text with a few characters changed, dropped or inserted. */
const corruptedText = fc
  .tuple(
    validManifest,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'insert', 'replace'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([manifest, edits]) => {
    let text = JSON.stringify(manifest, null, edits.length % 2 === 0 ? 2 : undefined);
    for (const [at, kind, chars] of edits) {
      const index = at % (text.length + 1);
      text = text.slice(0, index) + (kind === 'drop' ? '' : chars) + text.slice(kind === 'insert' ? index : index + 1);
    }
    return text;
  });
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc.json({ maxDepth: 3 }).chain((json) => fc.nat(json.length).map((cut) => json.slice(0, cut))),
  fc.constantFrom(
    '',
    '\uFEFF',
    '\uFEFF{}',
    'null',
    '{}',
    '[]',
    '{"name":"p",}',
    '/* c */{}',
    "{'a':1}",
    '{"a":1}{"b":2}',
    '"\\ud800"',
    '{"a":"\\u00"}',
    '\u0000',
    'NaN',
    'Infinity',
  ),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
);

// --- properties -------------------------------------------------------------------------------

describe('fuzzing the manifest parser (100,000 generated manifests)', () => {
  afterAll(() => {
    // Both outcomes must actually occur, or a generator has gone blind.
    expect(outcomes.accepted).toBeGreaterThan(1_000);
    expect(outcomes.refused).toBeGreaterThan(50_000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('valid-shaped manifests with mutated fields, as values and as JSON text (30,000)', () => {
    fc.assert(fc.property(mutatedManifest, checkValueAndText), { numRuns: 30_000 });
  });

  it('arbitrary JSON values, with hostile keys mixed in (20,000)', () => {
    const withHostileKeys = fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS, ...FIELDS), fc.string({ maxLength: 8 })), jsonValue, {
      maxKeys: 8,
    });
    fc.assert(fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), withHostileKeys), checkValue), { numRuns: 20_000 });
  });

  it('arbitrary and corrupted JSON text (25,000)', () => {
    fc.assert(fc.property(fc.oneof(anyText, corruptedText), checkText), { numRuns: 25_000 });
  });

  it('repeated keys, prototype-pollution keys and huge numbers in JSON text (20,000)', () => {
    fc.assert(fc.property(fc.oneof(repeatedKeys, protoText, hugeNumberText), checkText), { numRuns: 20_000 });
  });

  it('deep nesting, closed and unclosed, up to 50,000 levels (5,000)', () => {
    fc.assert(fc.property(deepText, checkText), { numRuns: 5_000 });
  });
});
