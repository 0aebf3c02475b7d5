import { DEFAULT_LIMITS, type ResourceLimits } from '@marathon/plugin-api';
import { ManifestError, type ManifestIssue } from './errors';
import { toManifestIssues } from './issue-messages';
import type { Manifest } from './manifest';
import { manifestRuleIssues } from './manifest-rules';
import { manifestSchemaModule } from './lazy-schema';
import { normalizeManifest } from './normalize-manifest';

export interface ParseManifestOptions {
  /** The host's policy limits; a manifest's `limits` may only lower them. Defaults to DEFAULT_LIMITS. */
  policyLimits?: Partial<ResourceLimits>;
  /** Named in error messages, e.g. the path of the plugin.json. */
  file?: string;
}

export type SafeParseManifestResult = { success: true; manifest: Manifest } | { success: false; error: ManifestError };

/** Field order of the schema first, so a report reads top to bottom like the manifest. */
function fieldRank(issue: ManifestIssue): number {
  const FIELD_ORDER = manifestSchemaModule().OBJECT_KEYS.get('') ?? [];
  const field = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(issue.path)?.[0];
  const rank = field === undefined ? -1 : FIELD_ORDER.indexOf(field);
  return rank === -1 ? (issue.path === '(root)' ? -1 : FIELD_ORDER.length) : rank;
}

function collectIssues(input: unknown, policy: ResourceLimits): { issues: ManifestIssue[]; data?: unknown } {
  const parsed = manifestSchemaModule().manifestSchema.safeParse(input, { reportInput: false });
  const issues = parsed.success ? [] : parsed.error.issues.flatMap((issue) => toManifestIssues(issue, input));
  issues.push(...manifestRuleIssues(input, policy));
  const ranked = issues.map((issue, order) => ({ issue, order, rank: fieldRank(issue) }));
  ranked.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return { issues: ranked.map((entry) => entry.issue), data: parsed.success ? parsed.data : undefined };
}

/**
 * Validates a plugin manifest (already parsed from JSON) and returns it normalised. Never throws
 * anything but ManifestError, whatever the input.
 */
export function safeParseManifest(input: unknown, options: ParseManifestOptions = {}): SafeParseManifestResult {
  const policy: ResourceLimits = { ...DEFAULT_LIMITS, ...options.policyLimits };
  const errorOptions = options.file === undefined ? {} : { file: options.file };
  try {
    const { issues, data } = collectIssues(input, policy);
    if (issues.length > 0 || data === undefined) {
      return { success: false, error: new ManifestError('MANIFEST_INVALID', issues, errorOptions) };
    }
    return { success: true, manifest: normalizeManifest(data as Parameters<typeof normalizeManifest>[0]) };
  } catch (cause) {
    // Inputs that are not plain data (proxies, throwing getters) can break any reader of them.
    const issue = { path: '(root)', message: 'the manifest could not be read as plain JSON data' };
    return { success: false, error: new ManifestError('MANIFEST_INVALID', [issue], { ...errorOptions, cause }) };
  }
}

/** Like safeParseManifest, but throws the ManifestError listing every problem. */
export function parseManifest(input: unknown, options: ParseManifestOptions = {}): Manifest {
  const result = safeParseManifest(input, options);
  if (!result.success) throw result.error;
  return result.manifest;
}
