// Issue 13, part 8: a plugin declaring 9,000 commands installed fine and then made every marathon
// call slower (`--help` took 8 s), since every command of every enabled plugin is registered with
// the CLI. plugin.json now has a documented cap on commands and on hook entries.
import Ajv2020 from 'ajv/dist/2020';
import { HOOK_TYPES } from '@marathon/plugin-api';
import { MAX_COMMANDS, MAX_HOOK_ENTRIES, manifestJsonSchema, parseManifest } from '@marathon/manifest';
import { issuesOf } from '../refused-issues';

const base = { name: 'many', version: '1.0.0', api_version: '1.0.0' };
const commands = (count: number) => Array.from({ length: count }, (_, index) => `command-${index}`);

describe('commands', () => {
  it('caps them at 100', () => {
    expect(MAX_COMMANDS).toBe(100);
  });

  it('accepts exactly the cap', () => {
    expect(parseManifest({ ...base, commands: commands(MAX_COMMANDS) }).commands).toHaveLength(MAX_COMMANDS);
  });

  it.each([MAX_COMMANDS + 1, 9000])('refuses %i, naming the count and the cap', (count) => {
    expect(issuesOf({ ...base, commands: commands(count) })).toEqual([
      {
        path: 'commands',
        message:
          `${count} commands is more than the 100 a plugin may declare: each one is registered with the ` +
          `CLI on every marathon call; group related actions under fewer commands that take arguments`,
      },
    ]);
  });

  it('counts the object form too', () => {
    const objects = commands(MAX_COMMANDS + 1).map((name) => ({ name, description: 'x' }));
    expect(issuesOf({ ...base, commands: objects }).map((issue) => issue.path)).toEqual(['commands']);
  });
});

describe('hook entries', () => {
  it('are capped at one per hook', () => {
    expect(MAX_HOOK_ENTRIES).toBe(HOOK_TYPES.length);
    expect(parseManifest({ ...base, hooks: [...HOOK_TYPES] }).hooks).toHaveLength(HOOK_TYPES.length);
  });

  it('refuses more entries than there are hooks, with the count and the cap, besides the repeats', () => {
    const hooks = [...HOOK_TYPES, 'user_auth'];
    expect(issuesOf({ ...base, hooks })).toEqual([
      {
        path: 'hooks',
        message: `${hooks.length} hook entries is more than the ${HOOK_TYPES.length} a plugin may list: list each hook once`,
      },
      { path: `hooks[${HOOK_TYPES.length}]`, message: expect.stringContaining("'user_auth' is listed twice") },
    ]);
  });
});

describe('the JSON Schema', () => {
  const schema = manifestJsonSchema() as { properties: Record<string, { maxItems?: number }> };
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  it('carries both caps for editors', () => {
    expect(schema.properties.commands?.maxItems).toBe(MAX_COMMANDS);
    expect(schema.properties.hooks?.maxItems).toBe(MAX_HOOK_ENTRIES);
    expect(validate({ ...base, commands: commands(MAX_COMMANDS) })).toBe(true);
    expect(validate({ ...base, commands: commands(MAX_COMMANDS + 1) })).toBe(false);
  });
});
