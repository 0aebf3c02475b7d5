import Ajv2020 from 'ajv/dist/2020';
import { manifestJsonSchema, safeParseManifest } from '@marathon/manifest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The JSON Schema is derived from the zod schema; these checks pin that editors and the parser
// agree on what a manifest may look like.
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(manifestJsonSchema());

const hello = {
  $schema: '../../packages/manifest/plugin.schema.json',
  name: 'hello-world',
  version: '1.0.0',
  description: 'A simple hello world plugin',
  author: 'Your Name',
  api_version: '1.0.0',
  permissions: ['network'],
  hooks: ['post_task_execute', { name: 'pre_task_submit', priority: 100 }],
  commands: ['hello', { name: 'greet', description: 'Greet someone', usage: '<name>' }],
  dependencies: { 'other-plugin': '^1.2.0' },
  network: { allowed_hosts: ['hooks.example.com'] },
  limits: { max_memory: 33554432 },
};

describe('manifestJsonSchema', () => {
  it('is draft 2020-12 and lists every top-level key', () => {
    expect(manifestJsonSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(manifestJsonSchema().properties as object)).toEqual([
      '$schema',
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
    ]);
    expect(manifestJsonSchema().required).toEqual(['name', 'version', 'api_version']);
    expect(manifestJsonSchema().additionalProperties).toBe(false);
  });

  it('accepts what the parser accepts', () => {
    expect(safeParseManifest(hello).success).toBe(true);
    expect(validate(hello)).toBe(true);
  });

  it.each([
    ['an unknown key', { ...hello, permision: [] }],
    ['an unknown permission', { ...hello, permissions: ['root'] }],
    ['an unknown hook', { ...hello, hooks: ['post_task_exec'] }],
    ['a fractional priority', { ...hello, hooks: [{ name: 'user_auth', priority: 0.5 }] }],
    ['a capitalised name', { ...hello, name: 'Hello' }],
    ['a version with a v', { ...hello, version: 'v1.0.0' }],
    ['a command name with a space', { ...hello, commands: ['say hi'] }],
    ['an empty host list', { ...hello, network: { allowed_hosts: [] } }],
    ['a missing api_version', (({ api_version: _omit, ...rest }) => rest)(hello)],
  ])('refuses %s, as the parser does', (_label, input) => {
    expect(safeParseManifest(input).success).toBe(false);
    expect(validate(input)).toBe(false);
  });

  it('describes fields for editor completion', () => {
    const properties = manifestJsonSchema().properties as Record<string, { description?: string }>;
    expect(properties.api_version?.description).toMatch(/\^api_version/);
    expect(properties.permissions?.description).toBeTruthy();
  });

  it('is the file the build writes next to package.json', () => {
    // The test target depends on this package's build (see package.json), which writes the file.
    const file = join(__dirname, '..', 'plugin.schema.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(manifestJsonSchema());
  });
});
