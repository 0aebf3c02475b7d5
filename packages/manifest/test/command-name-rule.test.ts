import { COMMAND_NAME_PATTERN, definePlugin, MAX_COMMAND_NAME_LENGTH, PluginApiError } from '@marathon/plugin-api';
import { manifestJsonSchema, safeParseManifest } from '@marathon/manifest';

// One command-name rule (plugin-api's), asked by the manifest, its JSON schema and definePlugin:
// a name the manifest may declare is one the code may implement, and the reverse.
const longest = `c${'x'.repeat(MAX_COMMAND_NAME_LENGTH - 1)}`;
const tooLong = `${longest}x`;
const manifest = (commands: unknown[]) => ({ name: 'long-names', version: '1.0.0', api_version: '1.0.0', commands });
const hello = () => 'hi';

it('is 64 characters at most', () => {
  expect(MAX_COMMAND_NAME_LENGTH).toBe(64);
  expect(longest).toHaveLength(64);
});

it('lets the manifest declare a 64-character name and refuses 65', () => {
  expect(safeParseManifest(manifest([longest, { name: 'b' }])).success).toBe(true);
  const refused = safeParseManifest(manifest([tooLong]));
  expect(refused.success).toBe(false);
  if (refused.success) return;
  // The name is quoted shortened; the rule it broke is named in full.
  expect(refused.error.issues).toEqual([
    { path: 'commands[0]', message: expect.stringMatching(/^'cx+\.\.\.' is not a valid command name: .+ \(at most 64\)$/) },
  ]);
});

it('lets definePlugin implement a 64-character name and refuses 65', () => {
  expect(Object.keys(definePlugin({ commands: { [longest]: hello } }).commands ?? {})).toEqual([longest]);
  expect(() => definePlugin({ commands: { [tooLong]: hello } })).toThrow(PluginApiError);
  expect(() => definePlugin({ commands: { [tooLong]: hello } })).toThrow(/at most 64 characters/);
});

it('is the pattern the published JSON schema gives editors', () => {
  expect(JSON.stringify(manifestJsonSchema())).toContain(JSON.stringify(COMMAND_NAME_PATTERN.source));
});
