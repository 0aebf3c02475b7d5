import { MAX_MANIFEST_DEPTH, ManifestError, parseManifestJson } from '@marathon/manifest';

// Found by the reliability fuzz suite: a few KB of '[' made the strict syntax check recurse until
// the stack ran out, so parseManifestJson threw a RangeError instead of a ManifestError.
function refusal(text: string): ManifestError {
  try {
    parseManifestJson(text, { file: 'p/plugin.json' });
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('parseManifestJson accepted what it should refuse');
}

const base = '{"name":"p","version":"1.0.0","api_version":"1.0.0","limits":';

describe('deeply nested plugin.json', () => {
  it.each([10_000, 200_000])('refuses %i nested arrays with a ManifestError, not a stack overflow', (depth) => {
    const error = refusal('['.repeat(depth) + ']'.repeat(depth));
    expect(error.code).toBe('MANIFEST_TOO_LARGE');
    expect(error.message).toContain(`more than ${MAX_MANIFEST_DEPTH} levels deep`);
    expect(error.line).toBe(1);
    expect(error.column).toBe(MAX_MANIFEST_DEPTH + 1);
  });

  it('refuses deep objects inside a field, pointing at the line', () => {
    const error = refusal(`${base}\n${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`);
    expect(error.code).toBe('MANIFEST_TOO_LARGE');
    expect(error.line).toBe(2);
  });

  it('does not count brackets inside strings', () => {
    const manifest = parseManifestJson(`{"name":"p","version":"1.0.0","api_version":"1.0.0","description":"${'[{\\"'.repeat(100)}"}`);
    expect(manifest.description.startsWith('[{"')).toBe(true);
  });

  it('still reports what is wrong with nesting just within the limit', () => {
    const depth = MAX_MANIFEST_DEPTH - 2;
    const error = refusal(`${base}${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.issues[0]?.path).toBe('limits.a');
  });
});
