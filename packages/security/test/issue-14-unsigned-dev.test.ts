// Issue 14, part 2: allow_unsigned_dev exempted every "folder" install, and a name resolved through
// the search paths was installed as one. It now applies to a folder the operator typed only; the
// consent summary says how a plugin is signed.
import { parseManifest } from '@marathon/manifest';
import { consentSummary, DEFAULT_POLICY, signatureRefusal } from '@marathon/security';

const policy = { ...DEFAULT_POLICY, require_signatures: true, allow_unsigned_dev: true };
const unsigned = { status: 'unsigned' as const, message: 'the plugin is not signed (no SIGNATURE.json)' };

it('exempts an unsigned typed folder, not a search-path name', () => {
  expect(signatureRefusal(unsigned, 'x', 'folder', policy)).toBeUndefined();
  expect(signatureRefusal(unsigned, 'x', 'search-path', policy)).toBe(
    'the policy requires signatures and the plugin is unsigned (add it to unsigned_allowlist, or sign it with a trusted key)',
  );
  expect(signatureRefusal(unsigned, 'x', 'search-path', { ...policy, unsigned_allowlist: ['x'] })).toBeUndefined();
});

it('says the signature status in the consent summary', () => {
  const manifest = parseManifest({ name: 'helper', version: '1.0.0', api_version: '1.0.0', permissions: ['task_write'] });
  expect(consentSummary(manifest, undefined, unsigned).lines).toEqual([
    'helper 1.0.0 asks for:',
    '  - task_write — Modify task data',
    '  ⚠️  signature unsigned: the plugin is not signed (no SIGNATURE.json)',
  ]);
});
