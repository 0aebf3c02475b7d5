// The gate every install passes before a byte is copied into MARATHON_HOME: manifest, policy, code
// scan and signature, all checked, every finding kept, and one decision with its reasons.
import type { KeyObject } from 'node:crypto';
import { readManifest, type Manifest } from '@marathon/manifest';
import { scanPlugin, type ScanFinding } from './code-scanner';
import { consentSummary, type ConsentSummary } from './consent';
import { checkPolicy, type PolicyFinding } from './policy-check';
import { listPluginFiles, type PluginFile } from './plugin-files';
import type { SecurityPolicy } from './security-policy';
import { verifyPlugin, type SignatureCheck } from './signatures';

/** Where the plugin comes from: a local folder counts as development for allow_unsigned_dev. */
export type InstallSource = 'folder' | 'archive' | 'url' | 'registry';

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
}

function signatureDecision(signature: SignatureCheck, manifest: Manifest, options: InspectOptions, decision: TrustDecision): void {
  const { policy } = options;
  if (signature.status === 'modified') {
    // Grafana's rule: a plugin changed after signing never loads, whatever else the policy allows.
    decision.refusals.push(`the signature does not match the files: ${signature.message}`);
    return;
  }
  if (signature.status === 'invalid') {
    decision.refusals.push(`the signature is invalid: ${signature.message}`);
    return;
  }
  if (signature.status === 'valid') return;
  const exempt = policy.unsigned_allowlist.includes(manifest.name) || (signature.status === 'unsigned' && options.source === 'folder' && policy.allow_unsigned_dev);
  if (policy.require_signatures && !exempt) {
    decision.refusals.push(
      signature.status === 'unsigned'
        ? 'the policy requires signatures and the plugin is unsigned (add it to unsigned_allowlist, or sign it with a trusted key)'
        : `the policy requires signatures by trusted keys: ${signature.message}`,
    );
    return;
  }
  decision.warnings.push(signature.message);
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
  return { manifest, files, policyFindings, scanFindings, signature, consent: consentSummary(manifest, options.policy.dangerous_permission_combos), decision };
}
