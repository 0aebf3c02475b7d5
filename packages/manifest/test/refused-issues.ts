import { safeParseManifest, type ManifestIssue } from '@marathon/manifest';

/** The issues a manifest is refused with; fails the test when it is accepted. */
export function issuesOf(input: unknown): ManifestIssue[] {
  const result = safeParseManifest(input);
  if (result.success) throw new Error('expected the manifest to be refused');
  return [...result.error.issues];
}
