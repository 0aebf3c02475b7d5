// The gate every install passes before a byte is copied into MARATHON_HOME: manifest, policy, code
// scan and signature, all checked, every finding kept, and one decision with its reasons.
import type { KeyObject } from 'node:crypto';
import { apiIncompatibilityReason, readManifest, type Manifest } from '@marathon/manifest';
import { scanPlugin } from './code-scanner';
import type { ScanFinding } from './scan-finding';
import { consentSummary, type ConsentSummary } from './consent';
import { checkPolicy, type PolicyFinding } from './policy-check';
import { listPluginFiles, type PluginFile } from './plugin-files';
import type { SecurityPolicy } from './security-policy';
import { verifyPlugin, type SignatureCheck } from './signatures';

/**
 * Where the plugin comes from. Only `folder` — a path the operator typed — counts as development
 * for allow_unsigned_dev; a name found in the search paths (`search-path`) does not, because
 * whoever can write a search path (a cloned repository's .marathon/plugins) is not the operator.
 */
export type InstallSource = 'folder' | 'search-path' | 'archive' | 'url' | 'registry';

export interface InspectOptions {
  policy: SecurityPolicy;
  trustedKeys: ReadonlyMap<string, KeyObject>;
  source: InstallSource;
  /** Install despite high-severity scanner findings (`--force`). Size, extension and signature rules do not bend. */
  force?: boolean;
}

export interface TrustDecision {
  allowed: boolean;
  /** Why it is refused, one sentence each. */
  refusals: string[];
  /** What the operator must explicitly accept before installing (dangerous combinations). */
  needsConsent: string[];
  /** Allowed, but worth saying (an unsigned plugin, medium findings, findings overridden by force). */
  warnings: string[];
}

export interface Inspection {
  manifest: Manifest;
  files: PluginFile[];
  policyFindings: PolicyFinding[];
  scanFindings: ScanFinding[];
  signature: SignatureCheck;
  consent: ConsentSummary;
  decision: TrustDecision;
  /** Why this host's plugin API cannot run the plugin (install refuses it: API_INCOMPATIBLE), if so. */
  apiIncompatible: string | undefined;
}

/** What the author of a plugin whose files changed after signing does about it. */
export const RESIGN_HINT =
  'if you built or changed it since signing, sign it again with marathon plugin ' +
  'sign <folder> --key <your key> (or pack it signed: marathon plugin pack <folder> ' +
  '--key <your key>); otherwise get a copy from its author that is signed as it is';

/**
 * Why the policy refuses a plugin with this signature, or undefined when it does not. One rule for
 * the install gate and for every load (plugin-runtime), so that a key removed since install, or a
 * policy tightened since, is held to the same standard as a new install.
 */
export function signatureRefusal(
  signature: Pick<SignatureCheck, 'status' | 'message'>,
  name: string,
  source: InstallSource,
  policy: SecurityPolicy,
): string | undefined {
  // Grafana's rule: a plugin changed after signing never loads, whatever else the policy allows.
  // Most often its author rebuilt or edited the folder after signing it: say how to sign again.
  if (signature.status === 'modified') return `the signature no longer matches these files (${signature.message}): ${RESIGN_HINT}`;
  if (signature.status === 'invalid') return `the signature is invalid: ${signature.message}`;
  if (signature.status === 'valid' || !policy.require_signatures) return undefined;
  const exempt =
    policy.unsigned_allowlist.includes(name) || (signature.status === 'unsigned' && source === 'folder' && policy.allow_unsigned_dev);
  if (exempt) return undefined;
  return signature.status === 'unsigned'
    ? 'the policy requires signatures and the plugin is unsigned (add it to unsigned_allowlist, or sign it with a trusted key)'
    : `the policy requires signatures by trusted keys: ${signature.message}`;
}

function signatureDecision(signature: SignatureCheck, manifest: Manifest, options: InspectOptions, decision: TrustDecision): void {
  const refusal = signatureRefusal(signature, manifest.name, options.source, options.policy);
  if (refusal !== undefined) decision.refusals.push(refusal);
  else if (signature.status !== 'valid') decision.warnings.push(signature.message);
}

/** Inspects a plugin folder (already unpacked, not yet installed). Throws ManifestError for a bad manifest. */
export async function inspectPlugin(dir: string, options: InspectOptions): Promise<Inspection> {
  const manifest = await readManifest(dir, { policyLimits: options.policy.limits });
  const { files, problems } = await listPluginFiles(dir);
  const policyFindings = checkPolicy(manifest, files, problems, options.policy);
  const scanFindings = await scanPlugin(dir, files);
  const signature = await verifyPlugin(dir, options.trustedKeys, manifest);
  const decision: TrustDecision = { allowed: false, refusals: [], needsConsent: [], warnings: [] };
  for (const finding of policyFindings) {
    if (finding.severity === 'error') decision.refusals.push(finding.message);
    else decision.needsConsent.push(finding.message);
  }
  for (const finding of scanFindings) {
    const where = `${finding.file}:${finding.line}:${finding.column} ${finding.rule}: ${finding.reason}`;
    if (finding.severity === 'high' && !options.force) decision.refusals.push(`${where} (use --force to install anyway)`);
    else decision.warnings.push(where);
  }
  signatureDecision(signature, manifest, options, decision);
  decision.allowed = decision.refusals.length === 0;
  const apiIncompatible = apiIncompatibilityReason(manifest.api_version, undefined, manifest.name);
  return {
    manifest,
    files,
    policyFindings,
    scanFindings,
    signature,
    consent: consentSummary(manifest, options.policy.dangerous_permission_combos, signature),
    decision,
    apiIncompatible,
  };
}
