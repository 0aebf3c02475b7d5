// Values that come back from a plugin arrive as JSON text and are rebuilt here as plain data:
// no getters, no prototypes, and no `__proto__` keys (JSON.parse would keep one as an own
// property, which a later spread or Object.assign would turn into a prototype).
import { isHookResult, type HookResult, type JsonValue } from '@marathon/plugin-api';

export function parseGuestJson(text: string): JsonValue {
  const value = JSON.parse(text) as JsonValue;
  // A reviver would cost a call per key on every result; the key can only be there if its text is.
  return text.includes('"__proto__"') ? withoutProtoKeys(value) : value;
}

/**
 * Deletes own `__proto__` keys at any depth. A loop over an explicit stack, not recursion: the data
 * is the guest's, and its depth must not decide whether the host's stack holds.
 */
function withoutProtoKeys(root: JsonValue): JsonValue {
  const stack: JsonValue[] = [root];
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    if (Object.hasOwn(value, '__proto__')) delete value['__proto__'];
    for (const key of Object.keys(value)) {
      const item = value[key]!;
      if (typeof item === 'object' && item !== null) stack.push(item);
    }
  }
  return root;
}

/** A HookResult made of the known fields only (isHookResult's rule), or undefined when the value is not one. */
export function asHookResult(value: JsonValue | undefined): HookResult | undefined {
  if (value === undefined) return { success: true, continue_chain: true };
  if (!isHookResult(value)) return undefined;
  const result: HookResult = { success: value.success };
  if (value.message !== undefined) result.message = value.message;
  result.continue_chain = value.continue_chain !== false;
  if (value.result_data !== undefined) result.result_data = value.result_data;
  return result;
}
