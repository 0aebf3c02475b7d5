import fc from 'fast-check';
import { HOOK_TYPES, PERMISSIONS } from '@marathon/plugin-api';
import { ManifestError, parseManifest, parseManifestJson, safeParseManifest } from '@marathon/manifest';

// Whatever a plugin.json (or a caller) hands the parser, the only thing it may throw is a
// ManifestError, and the safe variant never throws at all.
const anyValue = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  maxDepth: 3,
});

const field = fc.constantFrom(
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
  'configuration',
  '$schema',
  '__proto__',
  'constructor',
  'toString',
);

// Near-valid manifests reach the deeper checks that random values stop short of.
const nearValid = fc.tuple(fc.dictionary(field, anyValue, { maxKeys: 6 }), fc.boolean()).map(([changes, keepBase]) => ({
  ...(keepBase ? { name: 'p', version: '1.0.0', api_version: '1.0.0', permissions: ['network'] } : {}),
  ...changes,
}));

// Plain checks rather than expect(): this runs tens of thousands of times.
function onlyManifestErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    if (error.issues.length === 0) throw new Error('a ManifestError without issues');
    for (const issue of error.issues) {
      if (typeof issue.path !== 'string' || issue.message.length === 0) throw new Error(`malformed issue ${JSON.stringify(issue)}`);
    }
  }
}

// Run counts: enough to catch a regression here; the full-size fuzz (tools/reliability/test/
// fuzz-manifests.test.ts, `npm run test:reliability`) runs 100,000 manifests through the same checks.
// Arbitrary values (Maps, typed arrays, boxed values) are this file's alone, so they keep more runs.
describe('parser robustness (property-based)', () => {
  it('throws nothing but ManifestError for any value', () => {
    fc.assert(
      fc.property(anyValue, (input) => onlyManifestErrors(() => parseManifest(input))),
      { numRuns: 2_000 },
    );
  });

  it('throws nothing but ManifestError for near-valid manifests', () => {
    fc.assert(
      fc.property(nearValid, (input) => onlyManifestErrors(() => parseManifest(input))),
      { numRuns: 1_000 },
    );
  });

  it('never throws from safeParseManifest, even for proxies and throwing getters', () => {
    const hostile = [
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('boom');
          },
        },
      ),
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('boom');
          },
          getOwnPropertyDescriptor: () => {
            throw new Error('boom');
          },
        },
      ),
      Object.defineProperty({ version: '1.0.0', api_version: '1.0.0' }, 'name', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      }),
    ];
    for (const input of hostile) {
      const result = safeParseManifest(input);
      expect(result.success).toBe(false);
    }
  });

  it('throws nothing but ManifestError for any text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc.json({ maxDepth: 3 }).map((json) => json.slice(0, Math.max(0, json.length - 1))),
    );
    fc.assert(
      fc.property(text, (input) => onlyManifestErrors(() => parseManifestJson(input))),
      { numRuns: 1_000 },
    );
  });

  it('accepts every well-formed manifest, and its normalised form parses to itself', () => {
    const semverText = fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map((parts) => parts.join('.'));
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
    const wellFormed = fc
      .record({
        name: word.map((w) => `plugin-${w}`), // a bare word may be a Node core module name, which npm refuses
        version: semverText,
        api_version: fc.constantFrom('1.0.0', '1.2.3', '0.9.0'),
        description: fc.string({ maxLength: 80 }),
        permissions: fc.subarray([...PERMISSIONS]),
        hooks: fc
          .subarray([...HOOK_TYPES])
          .chain((hooks) =>
            fc.tuple(
              ...hooks.map((name) =>
                fc.oneof(fc.constant(name), fc.record({ name: fc.constant(name), priority: fc.integer({ min: -1000, max: 1000 }) })),
              ),
            ),
          ),
        commands: fc.uniqueArray(word, { maxLength: 4 }),
        dependencies: fc.dictionary(
          word.map((w) => `dep-${w}`),
          semverText.map((v) => `^${v}`),
          { maxKeys: 3 },
        ),
      })
      .map((manifest) => ({
        ...manifest,
        ...(manifest.permissions.includes('network') ? { network: { allowed_hosts: ['api.example.com'] } } : {}),
        ...(manifest.permissions.includes('env_vars') ? { env_vars: { allowed: ['TOKEN'] } } : {}),
        ...(manifest.permissions.includes('exec') ? { exec: { allowed_commands: ['git'] } } : {}),
      }));
    fc.assert(
      fc.property(wellFormed, (input) => {
        const first = safeParseManifest(input);
        if (!first.success) throw first.error;
        expect(first.manifest.hooks.map((hook) => hook.name)).toEqual(input.hooks.map((h) => (typeof h === 'string' ? h : h.name)));
        expect(parseManifest(JSON.parse(JSON.stringify(first.manifest)))).toEqual(first.manifest);
      }),
      { numRuns: 500 },
    );
  });
});
