// How deeply a JSON text nests objects and arrays, found by a flat scan. The strict syntax check
// (jsonc-parser's visitor) recurses once per level, so a text of a few thousand '[' — a few KB,
// far under MAX_MANIFEST_BYTES — would overflow the stack (RangeError) before any check could
// report it. A real plugin.json nests three or four levels; the scan stops at the limit.

/** Deeper than any manifest the schema allows, yet far from what the recursive parser can take. */
export const MAX_MANIFEST_DEPTH = 64;

export interface DepthExcess {
  line: number;
  column: number;
}

/** Where the text first opens its (limit + 1)th nested level, or undefined when it stays within. */
export function firstExcessiveNesting(text: string, limit: number = MAX_MANIFEST_DEPTH): DepthExcess | undefined {
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 0x0a) {
      line += 1;
      lineStart = index + 1;
    }
    if (inString) {
      if (char === 0x5c)
        index += 1; // a backslash escapes the next character, a quote included
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > limit) return { line, column: index - lineStart + 1 };
    } else if (char === 0x5d || char === 0x7d) depth = Math.max(0, depth - 1);
  }
  return undefined;
}
