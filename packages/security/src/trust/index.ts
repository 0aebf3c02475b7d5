// @marathon/security/trust: the install-time gate — policy, code scanner, signatures and keys,
// integrity, safe archive extraction, consent. Nothing here loads the sandbox (QuickJS, workers),
// so a tool that only inspects, signs or installs plugins never starts an engine.
export {
  CONFIG_KEYS,
  DEFAULT_POLICY,
  DEFAULT_ALLOWED_EXTENSIONS,
  DEFAULT_DANGEROUS_COMBOS,
  EXTENSIONLESS_FILES,
  loadPolicy,
  parseConfigText,
  parsePolicy,
  PolicyError,
  policyLimits,
} from './security-policy';
export type { PolicyIssue } from './security-policy';
export type { SecurityPolicy, SecurityPolicyInput } from './security-policy';
export { TrustError } from './trust-error';
export type { TrustErrorCode } from './trust-error';
export { listPluginFiles, digestPluginFiles, firstDifference } from './plugin-files';
export type { PluginFile, FileProblem, FileDigests, DigestChange } from './plugin-files';
export { checkPolicy } from './policy-check';
export type { PolicyFinding } from './policy-check';
export { scanSource, scanPlugin } from './code-scanner';
export type { ScanFinding, Severity } from './scan-finding';
export { generateSigningKey, keyIdOf, loadTrustedKeys, signPlugin, verifyPlugin, SIGNATURE_FILE, SIGNATURE_FORMAT } from './signatures';
export type { SignatureCheck, SignatureStatus, SignatureDocument, SigningKey } from './signatures';
export { MAX_KEY_FILE_BYTES, parsePublicKey, readKeyFile } from './public-key';
export type { ParsedPublicKey } from './public-key';
export { addTrustedKey, removeTrustedKey } from './key-store';
export { listTrustedKeys } from './key-list';
export type { KeyListing, TrustedKeyEntry } from './key-list';
export { recordIntegrity, checkIntegrity } from './integrity';
export type { IntegrityResult } from './integrity';
export { extractArchive } from './safe-archive';
export type { ArchiveLimits, ExtractedArchive } from './safe-archive';
export { consentSummary, scopeOf } from './consent';
export type { ConsentItem, ConsentSummary } from './consent';
export { inspectPlugin, RESIGN_HINT, signatureRefusal } from './trust-gate';
export type { InspectOptions, InstallSource, Inspection, TrustDecision } from './trust-gate';
