// The rules of plugin.json's `configuration` that tie a declaration's fields together: which
// constraints fit which type, and that a default and the allowed values are values the operator
// could set. Like manifest-rules.ts, each looks only at fields of the right shape, leaving wrong
// shapes (and a `type` that is not one) to the schema, so that no problem is reported twice.
import type { ManifestIssue } from './errors';
import { formatPath, type PathSegment } from './json-path';
import { MAX_SETTINGS } from './manifest-caps';
import { isRecord, own, type Raw } from './raw-record';
import { repeatIssues } from './repeat-issues';
import { isSettingType, settingKeyProblem, type SettingDeclaration, type SettingType } from './setting-declaration';
import { settingPatternProblem } from './setting-pattern';
import { settingValueProblem } from './setting-values';

const BOUNDS = ['minimum', 'maximum'] as const;

function isNumeric(type: SettingType): boolean {
  return type === 'number' || type === 'integer';
}

/** A bound fit for this type: a number, whole for an integer setting. */
function boundOf(raw: Raw, field: (typeof BOUNDS)[number], type: SettingType): number | undefined {
  const value = own(raw, field);
  if (typeof value !== 'number' || !isNumeric(type)) return undefined;
  return type === 'integer' && !Number.isInteger(value) ? undefined : value;
}

function boundIssues(raw: Raw, type: SettingType, at: (field: string) => string): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  for (const field of BOUNDS) {
    const value = own(raw, field);
    if (typeof value !== 'number') continue;
    if (!isNumeric(type)) {
      issues.push({ path: at(field), message: `${field} applies only to number and integer settings, and this one is ${type}: remove it` });
    } else if (type === 'integer' && !Number.isInteger(value)) {
      issues.push({ path: at(field), message: `an integer setting's ${field} must be a whole number, not ${value}` });
    }
  }
  const minimum = boundOf(raw, 'minimum', type);
  const maximum = boundOf(raw, 'maximum', type);
  if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
    issues.push({ path: at('maximum'), message: `maximum ${maximum} is below minimum ${minimum}: no value would be allowed` });
  }
  return issues;
}

/**
 * The declaration's constraints that are themselves sound, to check values against: a problem
 * in a bound or pattern is reported once, at the bound or pattern, not again at every value.
 */
function soundConstraints(raw: Raw, type: SettingType): SettingDeclaration {
  const declaration: { -readonly [K in keyof SettingDeclaration]: SettingDeclaration[K] } = { type, description: '' };
  const minimum = boundOf(raw, 'minimum', type);
  const maximum = boundOf(raw, 'maximum', type);
  if (minimum === undefined || maximum === undefined || minimum <= maximum) {
    if (minimum !== undefined) declaration.minimum = minimum;
    if (maximum !== undefined) declaration.maximum = maximum;
  }
  const pattern = own(raw, 'pattern');
  if (typeof pattern === 'string' && (type === 'string' || type === 'array') && settingPatternProblem(pattern) === undefined) {
    declaration.pattern = pattern;
  }
  return declaration;
}

/** The allowed values: each of the type (each item's, for an array setting) and within the other constraints; each once. */
function enumIssues(raw: Raw, type: SettingType, path: readonly PathSegment[]): ManifestIssue[] {
  const values = own(raw, 'enum');
  if (!Array.isArray(values)) return [];
  const constraints = soundConstraints(raw, type);
  const item = type === 'array' ? { ...constraints, type: 'string' as const } : constraints;
  const issues: ManifestIssue[] = [];
  values.forEach((value, index) => {
    const problem = settingValueProblem(item, value);
    if (problem !== undefined) issues.push({ path: formatPath([...path, 'enum', index]), message: `each allowed value ${problem}` });
  });
  const scalar = (value: unknown) => (['string', 'number', 'boolean'].includes(typeof value) ? String(value) : undefined);
  return [...issues, ...repeatIssues(values, [...path, 'enum'], scalar)];
}

/** The declaration with every sound constraint, enum included when all its values are sound. */
function valueConstraints(raw: Raw, type: SettingType, path: readonly PathSegment[]): SettingDeclaration {
  const values = own(raw, 'enum');
  const sound = Array.isArray(values) && values.length > 0 && enumIssues(raw, type, path).length === 0;
  return sound ? { ...soundConstraints(raw, type), enum: values as SettingDeclaration['enum'] } : soundConstraints(raw, type);
}

function declarationIssues(raw: Raw, path: readonly PathSegment[]): ManifestIssue[] {
  const at = (field: string) => formatPath([...path, field]);
  const type = own(raw, 'type');
  const secret = own(raw, 'secret') === true;
  const hasDefault = own(raw, 'default') !== undefined;
  const issues: ManifestIssue[] = [];
  if (secret && hasDefault) {
    issues.push({
      path: at('default'),
      message:
        'a secret has no default: the operator gives it as a reference to an environment variable such as ${MY_TOKEN}; remove default',
    });
  }
  if (!isSettingType(type)) return issues;
  if (secret && type !== 'string') {
    issues.push({
      path: at('secret'),
      message: `only a string setting can be secret, and this one is ${type}: remove secret or make it a string`,
    });
  }
  if (typeof own(raw, 'pattern') === 'string' && type !== 'string' && type !== 'array') {
    issues.push({ path: at('pattern'), message: `pattern applies only to string and array settings, and this one is ${type}: remove it` });
  }
  issues.push(...boundIssues(raw, type, at), ...enumIssues(raw, type, path));
  if (hasDefault && !secret) {
    const problem = settingValueProblem(valueConstraints(raw, type, path), own(raw, 'default'));
    if (problem !== undefined) issues.push({ path: at('default'), message: `the default ${problem}` });
  }
  return issues;
}

/** Every problem of `configuration` the schema cannot see: names, the cap, and each declaration's rules. */
export function configurationIssues(input: Raw): ManifestIssue[] {
  const configuration = own(input, 'configuration');
  if (!isRecord(configuration)) return [];
  const keys = Object.keys(configuration);
  const issues: ManifestIssue[] = [];
  if (keys.length > MAX_SETTINGS) {
    issues.push({
      path: 'configuration',
      message:
        `${keys.length} settings is more than the ${MAX_SETTINGS} a plugin may declare: each is a line the operator ` +
        'reads in marathon plugin config; group related values in an array setting or fewer settings',
    });
  }
  for (const key of keys) {
    const path = ['configuration', key];
    const keyProblem = settingKeyProblem(key);
    if (keyProblem !== undefined) issues.push({ path: formatPath(path), message: keyProblem });
    const declaration = own(configuration, key);
    if (isRecord(declaration)) issues.push(...declarationIssues(declaration, path));
  }
  return issues;
}
