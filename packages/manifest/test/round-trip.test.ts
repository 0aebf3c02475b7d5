import { isDeepStrictEqual } from 'node:util';
import { parseManifest, parseManifestJson } from '@marathon/manifest';

// Found by the reliability fuzz suite: a hook priority of -0 was kept as -0, so the normalised
// manifest written to JSON ("priority":0) and read back was no longer the same manifest.
describe('the normalised manifest survives a round trip through JSON', () => {
  it('turns a priority of -0 into 0', () => {
    const manifest = parseManifest({ name: 'p', version: '1.0.0', api_version: '1.0.0', hooks: [{ name: 'cli_command', priority: -0 }] });
    expect(Object.is(manifest.hooks[0]?.priority, 0)).toBe(true);
    expect(isDeepStrictEqual(parseManifestJson(JSON.stringify(manifest)), manifest)).toBe(true);
  });

  it('keeps other priorities as written', () => {
    const manifest = parseManifestJson(
      '{"name":"p","version":"1.0.0","api_version":"1.0.0","hooks":[{"name":"cli_command","priority":-5},"user_auth"]}',
    );
    expect(manifest.hooks.map((hook) => hook.priority)).toEqual([-5, 0]);
  });
});

// Also found by the fuzz suite: an author of only spaces was accepted, and normalised to an author
// whose name is '', which the parser itself refuses.
describe('blank author names', () => {
  it.each([' ', '\t\n', { name: '  ' }, { name: '' }])('refuses %j', (author) => {
    const result = () => parseManifest({ name: 'p', version: '1.0.0', api_version: '1.0.0', author });
    expect(result).toThrow("give the author's name");
  });

  it('still accepts a name padded with spaces, trimmed', () => {
    expect(parseManifest({ name: 'p', version: '1.0.0', api_version: '1.0.0', author: '  Ada  ' }).author).toEqual({ name: 'Ada' });
  });
});
