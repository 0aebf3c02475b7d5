// An entry listed twice in a list of plugin.json (a permission, a hook, an allowed value), named
// with where it was first seen.
import { quote } from './describe-value';
import type { ManifestIssue } from './errors';
import { formatPath, type PathSegment } from './json-path';
import { isRecord, own } from './raw-record';

/** The name of a list entry: the string itself, or the object's `nameKey` (`name`, `command`). */
export function entryName(entry: unknown, nameKey: string): string | undefined {
  if (typeof entry === 'string') return entry;
  if (isRecord(entry)) {
    const name = own(entry, nameKey);
    if (typeof name === 'string') return name;
  }
  return undefined;
}

export function repeatIssues(
  list: unknown,
  path: readonly PathSegment[],
  nameOf: (entry: unknown) => string | undefined = (entry) => entryName(entry, 'name'),
): ManifestIssue[] {
  if (!Array.isArray(list)) return [];
  const firstSeen = new Map<string, number>();
  const issues: ManifestIssue[] = [];
  list.forEach((entry, index) => {
    const name = nameOf(entry);
    if (name === undefined) return;
    const first = firstSeen.get(name);
    if (first === undefined) firstSeen.set(name, index);
    else
      issues.push({
        path: formatPath([...path, index]),
        message: `${quote(name)} is listed twice (first at ${formatPath([...path, first])}); list it once`,
      });
  });
  return issues;
}
