// A setting's `pattern`. Compiled in unicode mode, as JSON Schema validators and editors read
// patterns, so that what an editor accepts in plugin.json is what Marathon enforces.

/** Patterns are tested against every value an operator sets; a long one is more likely a mistake or a trap. */
export const MAX_SETTING_PATTERN_LENGTH = 500;

/** The pattern as a RegExp, or undefined when it does not compile. */
export function compileSettingPattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

export function settingPatternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_SETTING_PATTERN_LENGTH) {
    return `keep the pattern under ${MAX_SETTING_PATTERN_LENGTH} characters (it has ${pattern.length})`;
  }
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `not a valid JavaScript regular expression (unicode mode): ${reason}`;
  }
}
