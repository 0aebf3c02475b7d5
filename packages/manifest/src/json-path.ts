export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats a path the way zod prints it: `hooks[1].priority`, `dependencies["@scope/x"]`, `(root)`.
 * The one way Marathon shows where in a JSON file a problem is (plugin.json, config.json); a zod
 * issue's path may hold a symbol, shown as its description in brackets.
 */
export function formatPath(path: ReadonlyArray<PathSegment | symbol>): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
