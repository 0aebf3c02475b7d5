// The value side of declared settings: what an operator may set (`marathon plugin config`), how a
// CLI argument becomes a value, and how a secret is referred to. Used by the manager and the CLI;
// parseManifest uses the same checks for a declaration's `default` and `enum`, so a default can
// never be a value the operator could not set.
import { describeValue, quote } from './describe-value';
import { closestMatch } from './did-you-mean';
import type { SettingDeclaration } from './setting-declaration';
import { compileSettingPattern } from './setting-pattern';

export { SETTING_TYPES, SETTING_KEY_PATTERN } from './setting-declaration';
export type { SettingDeclaration, SettingType, SettingValue } from './setting-declaration';

const SECRET_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** `${NAME}`: how an operator gives a secret, so that its text is never stored in Marathon's files. */
export function isSecretReference(value: unknown): value is string {
  return typeof value === 'string' && SECRET_REFERENCE.test(value);
}

/** NAME of `${NAME}`, or undefined when `reference` is not one. */
export function secretReferenceName(reference: string): string | undefined {
  return SECRET_REFERENCE.exec(reference)?.[1];
}

/** The variable's value, or undefined when it is unset (or `reference` is not a reference). */
export function resolveSecretReference(reference: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const name = secretReferenceName(reference);
  // Own properties only: `${constructor}` must not resolve to something inherited from Object.
  if (name === undefined || !Object.hasOwn(env, name)) return undefined;
  const value = env[name];
  return typeof value === 'string' ? value : undefined;
}

/** A variable name to suggest for a secret: `@acme/webhook-notifier` and `token` give ACME_WEBHOOK_NOTIFIER_TOKEN. */
function exampleVariable(plugin: string, key: string): string {
  const name = `${plugin}_${key}`
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Z]/.test(name) ? name : `X_${name}`;
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeValue(value);
}

function showChoices(choices: readonly unknown[]): string {
  return choices.map(showValue).join(', ');
}

function range(declaration: SettingDeclaration): string {
  const { minimum, maximum } = declaration;
  if (minimum !== undefined && maximum !== undefined) return ` from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return ` of at least ${minimum}`;
  if (maximum !== undefined) return ` of at most ${maximum}`;
  return '';
}

/** What a valid value looks like, in words: "a whole number from 0 to 86400". */
function expectation(declaration: SettingDeclaration): string {
  const { type, pattern } = declaration;
  const choices = declaration.enum === undefined ? undefined : showChoices(declaration.enum);
  const matching = pattern === undefined ? '' : ` matching the pattern ${quote(pattern)}`;
  if (type === 'array') return `a list of text${matching}${choices === undefined ? '' : `, each one of ${choices}`}`;
  if (choices !== undefined) return `one of ${choices}`;
  if (type === 'integer') return `a whole number${range(declaration)}`;
  if (type === 'number') return `a number${range(declaration)}`;
  if (type === 'boolean') return 'true or false';
  return `text${matching}`;
}

function fitsType(declaration: SettingDeclaration, value: unknown): boolean {
  switch (declaration.type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    default:
      return false;
  }
}

/** Whether a single value (a scalar setting, or one item of an array setting) meets every constraint. */
function fitsScalar(declaration: SettingDeclaration, value: unknown): boolean {
  const scalar = declaration.type === 'array' ? { ...declaration, type: 'string' as const } : declaration;
  if (!fitsType(scalar, value)) return false;
  const number = value as number;
  if (declaration.minimum !== undefined && number < declaration.minimum) return false;
  if (declaration.maximum !== undefined && number > declaration.maximum) return false;
  if (declaration.enum !== undefined && !declaration.enum.includes(value as string | number | boolean)) return false;
  if (declaration.pattern !== undefined && compileSettingPattern(declaration.pattern)?.test(value as string) === false) return false;
  return true;
}

/**
 * What is wrong with a value for this declaration, as the end of a sentence ("must be a whole
 * number from 0 to 86400, not 1.5"), or undefined. A secret's reference form is not checked here.
 */
export function settingValueProblem(declaration: SettingDeclaration, value: unknown): string | undefined {
  const expected = expectation(declaration);
  if (declaration.type !== 'array') return fitsScalar(declaration, value) ? undefined : `must be ${expected}, not ${showValue(value)}`;
  if (!Array.isArray(value)) return `must be ${expected}, not ${showValue(value)}`;
  const bad = value.findIndex((item) => !fitsScalar(declaration, item));
  return bad === -1 ? undefined : `must be ${expected}; item ${bad + 1} is ${showValue(value[bad])}`;
}

/** Undefined when `value` may be set for the setting, else a message saying what to give instead. */
export function checkSettingValue(plugin: string, key: string, declaration: SettingDeclaration, value: unknown): string | undefined {
  const setting = `setting ${quote(key)} of plugin ${quote(plugin)}`;
  if (declaration.secret === true) {
    if (isSecretReference(value)) return undefined;
    const example = `\${${exampleVariable(plugin, key)}}`;
    return `${setting} is secret: give it as a reference to an environment variable, e.g. ${example}, not as plain text`;
  }
  const problem = settingValueProblem(declaration, value);
  return problem === undefined ? undefined : `${setting} ${problem}`;
}

// JSON's number grammar: "12abc", "0x10", " 1", "" and "Infinity" stay text, so the check refuses them.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A command-line argument as a value of the declared type. Text that does not parse is returned
 * as is, for checkSettingValue to refuse with a message that names the setting.
 */
export function parseSettingInput(declaration: SettingDeclaration, text: string): unknown {
  switch (declaration.type) {
    case 'integer':
    case 'number':
      return JSON_NUMBER.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'array':
      if (text.trimStart().startsWith('[')) {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      }
      // A comma-separated list; items holding commas (a regex such as a{1,3}) need the JSON form.
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    default:
      return text;
  }
}

/** The message for a key the plugin does not declare, with the closest declared key when one is close. */
export function unknownSettingMessage(plugin: string, key: string, declared: readonly string[]): string {
  if (declared.length === 0) return `plugin ${quote(plugin)} declares no settings`;
  const suggestion = closestMatch(key, declared);
  const hint = suggestion === undefined ? `its settings are ${declared.join(', ')}` : `did you mean ${quote(suggestion)}?`;
  return `plugin ${quote(plugin)} has no setting ${quote(key)}; ${hint}`;
}
