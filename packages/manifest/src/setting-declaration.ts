// What plugin.json's `configuration` declares: the settings an operator may give a plugin
// (`marathon plugin config`), which the plugin reads as `ctx.config`. Types only and the key rule;
// no zod here, so that the manager and CLI can read declarations without loading the schema.
import { quote } from './describe-value';

export const SETTING_TYPES = ['string', 'number', 'integer', 'boolean', 'array'] as const;

/** `array` is a list of strings; `integer` is a whole number. */
export type SettingType = (typeof SETTING_TYPES)[number];

/** A setting's value as stored and as the plugin sees it. */
export type SettingValue = string | number | boolean | string[];

/** One entry of plugin.json's `configuration`, as validated and normalised. */
export interface SettingDeclaration {
  readonly type: SettingType;
  /** What the setting does, shown to the operator; 1 to 500 characters. */
  readonly description: string;
  /** Used when the operator gives no value; never present on a secret. */
  readonly default?: SettingValue;
  /** The only values allowed; of the setting's type (for `array`, each item is one of them). */
  readonly enum?: readonly (string | number | boolean)[];
  /** Bounds of a `number` or `integer` setting, inclusive. */
  readonly minimum?: number;
  readonly maximum?: number;
  /** A JavaScript regular expression (unicode mode) a `string` value, or each `array` item, must match somewhere. */
  readonly pattern?: string;
  /** Only on `string`: the operator gives an `${ENV_VAR}` reference, never the text; shown as the reference only. */
  readonly secret?: boolean;
}

export const MAX_SETTING_DESCRIPTION_LENGTH = 500;

/** Lowercase words joined by `_`, so a key reads the same in plugin.json, the CLI and `ctx.config`. */
export const SETTING_KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export function isSettingType(value: unknown): value is SettingType {
  return typeof value === 'string' && (SETTING_TYPES as readonly string[]).includes(value);
}

export function settingKeyProblem(key: string): string | undefined {
  if (SETTING_KEY_PATTERN.test(key)) return undefined;
  return `${quote(key)} is not a valid setting name: use lowercase letters, digits and _, starting with a letter (at most 64 characters)`;
}
