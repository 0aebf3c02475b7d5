export { parseManifest, safeParseManifest } from './parse-manifest';
export type { ParseManifestOptions, SafeParseManifestResult } from './parse-manifest';
export { parseManifestJson, MAX_MANIFEST_BYTES } from './parse-manifest-json';
export { strictJsonProblem } from './strict-json';
export type { StrictJsonProblem } from './strict-json';
export { MAX_MANIFEST_DEPTH } from './nesting-depth';
export { readManifest, MANIFEST_FILE } from './read-manifest';
export { HOST_API_VERSION, isApiCompatible, apiIncompatibilityReason, assertApiCompatible } from './api-compatibility';
export { manifestJsonSchema } from './json-schema';
export { ManifestError, ApiIncompatibleError, plural } from './errors';
export { formatPath } from './json-path';
export type { PathSegment } from './json-path';
export type { ManifestIssue, ManifestErrorCode, ManifestErrorOptions } from './errors';
export type { Manifest, Author, HookDeclaration, CommandDeclaration, ExecCommand, PinnedCommand } from './manifest';
export { execCommandName, execArgumentPrefixes, describeExecCommand, formatArguments } from './exec-commands';
export { MAX_COMMANDS, MAX_HOOK_ENTRIES, MAX_SETTINGS } from './manifest-caps';
export {
  checkSettingValue,
  parseSettingInput,
  unknownSettingMessage,
  isSecretReference,
  resolveSecretReference,
  SETTING_TYPES,
  SETTING_KEY_PATTERN,
} from './setting-values';
export type { SettingDeclaration, SettingType, SettingValue } from './setting-values';
export { effectiveSettings } from './effective-settings';
export type { EffectiveSettings, SettingSource, SettingView } from './effective-settings';
export type { ManifestInput } from './manifest-schema';
export { closestMatch, didYouMean, suggestionHint } from './did-you-mean';
export { packageNameProblem, versionProblem, hostPatternProblem, envNameProblem, execCommandProblem, normalizeHost } from './formats';
