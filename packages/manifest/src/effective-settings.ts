// What a plugin sees as `ctx.config`, and what `marathon plugin config` shows an operator: the
// declared defaults, overridden by the operator's values, with secrets resolved from the
// environment for the plugin and shown to people only as the reference.
import type { SettingDeclaration, SettingValue } from './setting-declaration';
import { isSecretReference, resolveSecretReference, secretReferenceName, settingValueProblem } from './setting-values';

export type SettingSource = 'default' | 'operator' | 'unset';

/** One declared setting as an operator sees it. */
export interface SettingView {
  readonly key: string;
  readonly declaration: SettingDeclaration;
  readonly source: SettingSource;
  /** The value in effect; for a secret, the `${NAME}` reference, never the secret. */
  readonly value?: SettingValue;
  /** The value as text for people; for a secret `${NAME} (set)` or `${NAME} (not set in the environment)`. */
  readonly display: string;
  /** Why the operator's stored value is not used: it no longer fits the declaration (the plugin was updated). */
  readonly problem?: string;
}

export interface EffectiveSettings {
  /** What the plugin sees: only settings that have a value. */
  readonly config: Record<string, SettingValue>;
  /** Every declared setting, in declaration order. */
  readonly view: SettingView[];
}

const NOT_SET = '(not set)';

/** JSON text, with the characters JSON leaves raw but a terminal may act on escaped as well. */
export function displaySettingValue(value: SettingValue): string {
  const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return text.replace(
    /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function copy(value: SettingValue): SettingValue {
  return Array.isArray(value) ? [...value] : value;
}

/** The operator's value when it still fits the declaration, else why not. */
function operatorValue(declaration: SettingDeclaration, value: SettingValue): { value?: SettingValue; problem?: string } {
  if (declaration.secret === true) {
    return isSecretReference(value) ? { value } : { problem: "the operator's value is not an ${ENV_VAR} reference, so it is not used" };
  }
  const problem = settingValueProblem(declaration, value);
  return problem === undefined ? { value } : { problem: `the operator's value is not used: it ${problem}` };
}

/**
 * The settings in effect for one plugin. Operator values for keys no longer declared are ignored
 * (the manager reports them), and so are values that no longer fit their declaration (in `problem`).
 */
export function effectiveSettings(
  declarations: Record<string, SettingDeclaration> | undefined,
  operator: Readonly<Record<string, SettingValue>> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): EffectiveSettings {
  const config: Array<[string, SettingValue]> = [];
  const view: SettingView[] = [];
  for (const [key, declaration] of Object.entries(declarations ?? {})) {
    const given = operator !== undefined && Object.hasOwn(operator, key) ? operatorValue(declaration, operator[key]!) : {};
    const problem = given.problem === undefined ? {} : { problem: given.problem };
    if (given.value !== undefined && declaration.secret === true) {
      const reference = given.value as string;
      const secret = resolveSecretReference(reference, env);
      if (secret !== undefined) config.push([key, secret]);
      const state = secret === undefined ? 'not set in the environment' : 'set';
      view.push({ key, declaration, source: 'operator', value: reference, display: `\${${secretReferenceName(reference)}} (${state})` });
    } else if (given.value !== undefined || declaration.default !== undefined) {
      const source = given.value !== undefined ? 'operator' : 'default';
      const value = (given.value ?? declaration.default)!;
      config.push([key, copy(value)]);
      view.push({ key, declaration, source, value: copy(value), display: displaySettingValue(value), ...problem });
    } else {
      view.push({ key, declaration, source: 'unset', display: NOT_SET, ...problem });
    }
  }
  // fromEntries defines own properties, so no key can reach Object.prototype.
  return { config: Object.fromEntries(config), view };
}
