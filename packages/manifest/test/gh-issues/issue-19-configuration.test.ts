// Issue 19, part A: a plugin declares in plugin.json the settings an operator may give it
// (`marathon plugin config`), read by the plugin as ctx.config. Every rule of a declaration is
// refused with its JSON path, all problems at once, like every other field of the manifest.
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import {
  MAX_SETTINGS,
  ManifestError,
  manifestJsonSchema,
  parseManifest,
  parseManifestJson,
  safeParseManifest,
  type ManifestIssue,
} from '@marathon/manifest';
import { issuesOf } from '../refused-issues';

const base = { name: 'task-policy', version: '1.0.0', api_version: '1.0.0' };
const withSettings = (configuration: unknown) => ({ ...base, configuration });
const one = (declaration: Record<string, unknown>) => withSettings({ timeout_s: declaration });
const integer = { type: 'integer', description: 'Seconds a task may run' };

const taskPolicy = withSettings({
  rules: { type: 'array', description: 'Commands refused, as regular expressions', default: ['^rm -rf /', 'curl .*\\| *sh'] },
  timeout_s: { ...integer, default: 3600, minimum: 0, maximum: 86400 },
});
const webhookNotifier = withSettings({
  url: { type: 'string', description: 'Where to post', pattern: '^https?://' },
  token: { type: 'string', description: 'Bearer token', secret: true },
});

describe('valid declarations', () => {
  it.each([
    ['the task-policy example', taskPolicy],
    ['the webhook-notifier example', webhookNotifier],
    ['a number with a fractional range', one({ type: 'number', description: 'Ratio', minimum: 0.5, maximum: 0.75, default: 0.5 })],
    ['a boolean', one({ type: 'boolean', description: 'On or off', default: false })],
    ['a string with allowed values', one({ type: 'string', description: 'Level', enum: ['low', 'high'], default: 'high' })],
    ['an array whose items have allowed values', one({ type: 'array', description: 'Tags', enum: ['a', 'b'], default: ['b', 'a', 'b'] })],
    ['an array whose items match a pattern', one({ type: 'array', description: 'Hosts', pattern: '^[a-z.]+$', default: [] })],
    ['an integer with allowed values in range', one({ ...integer, enum: [1, 2, 3], minimum: 1, maximum: 3, default: 2 })],
    ['a secret marked false with a default', one({ type: 'string', description: 'Plain', secret: false, default: 'x' })],
    ['a description of 500 characters', one({ ...integer, description: 'd'.repeat(500) })],
    ['a key of 64 characters', withSettings({ [`a${'b'.repeat(63)}`]: integer })],
    [`${MAX_SETTINGS} settings`, withSettings(Object.fromEntries(Array.from({ length: MAX_SETTINGS }, (_, i) => [`s${i}`, integer])))],
  ])('accepts %s', (_label, input) => {
    expect(() => parseManifest(input)).not.toThrow();
  });

  it('normalises them to the fields written, frozen', () => {
    const manifest = parseManifest(taskPolicy);
    expect(manifest.configuration).toEqual({
      rules: { type: 'array', description: 'Commands refused, as regular expressions', default: ['^rm -rf /', 'curl .*\\| *sh'] },
      timeout_s: { type: 'integer', description: 'Seconds a task may run', default: 3600, minimum: 0, maximum: 86400 },
    });
    expect(Object.isFrozen(manifest.configuration?.rules?.default)).toBe(true);
  });

  it.each([
    ['no configuration', base],
    ['an empty configuration', withSettings({})],
  ])('leaves configuration absent, not {}, for %s', (_label, input) => {
    expect('configuration' in parseManifest(input)).toBe(false);
  });

  it('survives a round trip through JSON, -0 included', () => {
    const input = one({ type: 'number', description: 'x', minimum: -0, maximum: 1, default: -0, enum: [-0, 1] });
    const manifest = parseManifest(input);
    expect(Object.is(manifest.configuration?.timeout_s?.minimum, 0)).toBe(true);
    expect(isDeepStrictEqual(parseManifestJson(JSON.stringify(manifest)), manifest)).toBe(true);
  });
});

const at = (field: string) => `configuration.timeout_s.${field}`;

describe('refused declarations, each with its path', () => {
  it.each<[string, unknown, ManifestIssue[]]>([
    ['configuration that is not an object', withSettings([]), [{ path: 'configuration', message: 'expected an object, got an array' }]],
    [
      'a declaration that is not an object',
      withSettings({ timeout_s: 3600 }),
      [{ path: 'configuration.timeout_s', message: 'expected an object, got an integer' }],
    ],
    [
      'a key with capitals',
      withSettings({ timeoutS: integer }),
      [
        {
          path: 'configuration.timeoutS',
          message:
            "'timeoutS' is not a valid setting name: use lowercase letters, digits and _, starting with a letter (at most 64 characters)",
        },
      ],
    ],
    [
      'a key of 65 characters',
      withSettings({ [`a${'b'.repeat(64)}`]: integer }),
      [expect.objectContaining({ message: expect.stringMatching(/not a valid setting name/) })],
    ],
    ['a key starting with _', withSettings({ _x: integer }), [expect.objectContaining({ path: 'configuration._x' })]],
    ['no type', one({ description: 'x' }), [{ path: at('type'), message: 'expected a setting type name, got nothing' }]],
    [
      'an unknown type',
      one({ type: 'int', description: 'x' }),
      [
        {
          path: at('type'),
          message: "unknown setting type 'int' (did you mean 'integer'?); setting types are string, number, integer, boolean, array",
        },
      ],
    ],
    ['no description', one({ type: 'string' }), [{ path: at('description'), message: 'required: add it as a string' }]],
    [
      'a blank description',
      one({ type: 'string', description: '  ' }),
      [{ path: at('description'), message: 'say in a few words what the setting does; the operator reads it in marathon plugin config' }],
    ],
    [
      'a description over 500 characters',
      one({ type: 'string', description: 'd'.repeat(501) }),
      [{ path: at('description'), message: 'keep the description under 500 characters' }],
    ],
    [
      'an unknown field, with a suggestion',
      one({ ...integer, minimun: 0 }),
      [
        {
          path: at('minimun'),
          message:
            "unknown key 'minimun' (did you mean 'minimum'?); allowed here: type, description, default, enum, minimum, maximum, pattern, secret",
        },
      ],
    ],
    [
      'a default of another type',
      one({ ...integer, default: '3600' }),
      [{ path: at('default'), message: "the default must be a whole number, not '3600'" }],
    ],
    [
      'a default out of range',
      one({ ...integer, minimum: 0, maximum: 86400, default: 90000 }),
      [{ path: at('default'), message: 'the default must be a whole number from 0 to 86400, not 90000' }],
    ],
    [
      'a fractional default of an integer',
      one({ ...integer, default: 1.5 }),
      [{ path: at('default'), message: 'the default must be a whole number, not 1.5' }],
    ],
    [
      'a default not among the allowed values',
      one({ type: 'string', description: 'x', enum: ['low', 'high'], default: 'mid' }),
      [{ path: at('default'), message: "the default must be one of 'low', 'high', not 'mid'" }],
    ],
    [
      'a default not matching the pattern',
      one({ type: 'string', description: 'x', pattern: '^https?://', default: 'ftp://x' }),
      [{ path: at('default'), message: "the default must be text matching the pattern '^https?://', not 'ftp://x'" }],
    ],
    [
      'an array default with an item of another type',
      one({ type: 'array', description: 'x', default: ['a', 2] }),
      [{ path: at('default'), message: 'the default must be a list of text; item 2 is 2' }],
    ],
    [
      'an array default that is a string',
      one({ type: 'array', description: 'x', default: 'a' }),
      [{ path: at('default'), message: "the default must be a list of text, not 'a'" }],
    ],
    ['an empty enum', one({ ...integer, enum: [] }), [{ path: at('enum'), message: 'list at least one allowed value, or remove enum' }]],
    [
      'an enum value of another type',
      one({ ...integer, enum: [1, 'two'] }),
      [{ path: at('enum[1]'), message: "each allowed value must be a whole number, not 'two'" }],
    ],
    [
      'an enum value out of range',
      one({ ...integer, enum: [1, 5], maximum: 4 }),
      [{ path: at('enum[1]'), message: 'each allowed value must be a whole number of at most 4, not 5' }],
    ],
    [
      'an array enum value that is not text',
      one({ type: 'array', description: 'x', enum: ['a', true] }),
      [{ path: at('enum[1]'), message: 'each allowed value must be text, not true' }],
    ],
    [
      'a repeated enum value',
      one({ ...integer, enum: [1, 2, 1] }),
      [{ path: at('enum[2]'), message: "'1' is listed twice (first at configuration.timeout_s.enum[0]); list it once" }],
    ],
    [
      'minimum on a string',
      one({ type: 'string', description: 'x', minimum: 1 }),
      [{ path: at('minimum'), message: 'minimum applies only to number and integer settings, and this one is string: remove it' }],
    ],
    [
      'maximum on an array',
      one({ type: 'array', description: 'x', maximum: 1 }),
      [{ path: at('maximum'), message: 'maximum applies only to number and integer settings, and this one is array: remove it' }],
    ],
    [
      'a fractional bound of an integer',
      one({ ...integer, minimum: 0.5 }),
      [{ path: at('minimum'), message: "an integer setting's minimum must be a whole number, not 0.5" }],
    ],
    [
      'a bound that is not a number',
      one({ ...integer, maximum: '10' }),
      [{ path: at('maximum'), message: 'expected a number, got a string' }],
    ],
    [
      'minimum above maximum',
      one({ ...integer, minimum: 10, maximum: 5 }),
      [{ path: at('maximum'), message: 'maximum 5 is below minimum 10: no value would be allowed' }],
    ],
    [
      'a pattern on an integer',
      one({ ...integer, pattern: '^1' }),
      [{ path: at('pattern'), message: 'pattern applies only to string and array settings, and this one is integer: remove it' }],
    ],
    [
      'a pattern that does not compile',
      one({ type: 'string', description: 'x', pattern: '(' }),
      [
        {
          path: at('pattern'),
          message: 'not a valid JavaScript regular expression (unicode mode): Invalid regular expression: /(/u: Unterminated group',
        },
      ],
    ],
    [
      'a pattern over 500 characters',
      one({ type: 'string', description: 'x', pattern: 'a'.repeat(501) }),
      [{ path: at('pattern'), message: 'keep the pattern under 500 characters (it has 501)' }],
    ],
    [
      'a secret that is not a string',
      one({ ...integer, secret: true }),
      [{ path: at('secret'), message: 'only a string setting can be secret, and this one is integer: remove secret or make it a string' }],
    ],
    [
      'a secret with a default',
      one({ type: 'string', description: 'x', secret: true, default: 'hunter2' }),
      [
        {
          path: at('default'),
          message:
            'a secret has no default: the operator gives it as a reference to an environment variable such as ${MY_TOKEN}; remove default',
        },
      ],
    ],
    [
      'secret that is not true or false',
      one({ type: 'string', description: 'x', secret: 'yes' }),
      [{ path: at('secret'), message: 'expected true or false, got a string' }],
    ],
  ])('refuses %s', (_label, input, issues) => {
    expect(issuesOf(input)).toEqual(issues);
  });

  it(`refuses more than ${MAX_SETTINGS} settings, naming the count and the cap`, () => {
    const many = withSettings(Object.fromEntries(Array.from({ length: MAX_SETTINGS + 1 }, (_, i) => [`s${i}`, integer])));
    expect(issuesOf(many)).toEqual([
      {
        path: 'configuration',
        message:
          '65 settings is more than the 64 a plugin may declare: each is a line the operator reads in marathon plugin config; ' +
          'group related values in an array setting or fewer settings',
      },
    ]);
  });

  it('reports every problem of every declaration at once, a bad bound not again at the default', () => {
    const input = withSettings({
      Bad: { type: 'int', description: '' },
      timeout_s: { ...integer, minimum: 10, maximum: 5, default: 7 },
    });
    expect(issuesOf(input).map((issue) => issue.path)).toEqual([
      'configuration.Bad.type',
      'configuration.Bad.description',
      'configuration.Bad',
      'configuration.timeout_s.maximum',
    ]);
  });

  it('lists the problems after the other fields, in the error message', () => {
    const error = (() => {
      try {
        parseManifest({ ...one({ ...integer, default: 'x' }), version: 'v1' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).issues.map((issue) => issue.path)).toEqual(['version', at('default')]);
  });

  it('throws nothing but ManifestError for any value inside a declaration', () => {
    const field = fc.constantFrom('type', 'description', 'default', 'enum', 'minimum', 'maximum', 'pattern', 'secret', '__proto__');
    const declaration = fc.dictionary(field, fc.anything({ maxDepth: 2, withNullPrototype: true }), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.constantFrom('string', 'number', 'integer', 'boolean', 'array'), declaration, (type, rest) => {
        const result = safeParseManifest(one({ type, description: 'x', ...rest }));
        if (!result.success && result.error.issues.length === 0) throw new Error('a refusal without issues');
      }),
      { numRuns: 500 },
    );
  });
});

describe('the JSON Schema', () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(manifestJsonSchema());

  it('describes configuration for editors', () => {
    const configuration = (manifestJsonSchema().properties as Record<string, Record<string, unknown>>).configuration;
    expect(configuration?.description).toMatch(/marathon plugin config/);
    expect(configuration?.maxProperties).toBe(MAX_SETTINGS);
    expect(configuration?.propertyNames).toEqual({ type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' });
    const declaration = configuration?.additionalProperties as Record<string, unknown>;
    expect(declaration.required).toEqual(['type', 'description']);
    expect(declaration.additionalProperties).toBe(false);
    expect(Object.keys(declaration.properties as object)).toEqual([
      'type',
      'description',
      'default',
      'enum',
      'minimum',
      'maximum',
      'pattern',
      'secret',
    ]);
  });

  it.each([
    ['task-policy', taskPolicy],
    ['webhook-notifier', webhookNotifier],
  ])('accepts the %s example, as the parser does', (_label, input) => {
    expect(validate(input)).toBe(true);
  });

  it.each([
    ['an unknown type', one({ type: 'int', description: 'x' })],
    ['an unknown field', one({ ...integer, minimun: 0 })],
    ['a key with capitals', withSettings({ timeoutS: integer })],
    ['a missing description', one({ type: 'string' })],
    ['a default that is an object', one({ type: 'string', description: 'x', default: {} })],
  ])('refuses %s, as the parser does', (_label, input) => {
    expect(safeParseManifest(input).success).toBe(false);
    expect(validate(input)).toBe(false);
  });
});
