// Turns zod's issues into ManifestIssues: one per problem, with its JSON path and a message that
// says what to write instead. Messages set on the schema itself pass through unchanged.
import type { z } from 'zod';
import { describeValue, quote } from './describe-value';
import { didYouMean, suggestionHint } from './did-you-mean';
import type { ManifestIssue } from './errors';
import { formatPath, type PathSegment } from './json-path';
import { manifestSchemaModule } from './lazy-schema';

type ZodIssue = z.core.$ZodIssue;

const EXPECTED_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
};

/**
 * `hooks[]` for `hooks[3]`, `configuration{}` for `configuration.timeout_s`, `network` for
 * `network`: the key of OBJECT_KEYS for an object's path.
 */
function pathPattern(path: readonly PathSegment[], objectKeys: ReadonlyMap<string, readonly string[]>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += '[]';
    else if (objectKeys.has(`${out}{}`)) out += '{}';
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

function unknownKeyMessage(key: string, objectPath: readonly PathSegment[]): string {
  const { NESTED_KEY_HOMES, OBJECT_KEYS } = manifestSchemaModule();
  const known = OBJECT_KEYS.get(pathPattern(objectPath, OBJECT_KEYS)) ?? [];
  // A key that belongs inside a nested object (e.g. `allowed_hosts` at the top) points there.
  const hint = didYouMean(key, known) || (objectPath.length === 0 ? suggestionHint(NESTED_KEY_HOMES.get(key)) : '');
  const allowed = known.length > 0 ? `; allowed here: ${known.join(', ')}` : '';
  return `unknown key ${quote(key)}${hint}${allowed}`;
}

function isOwnMessage(issue: ZodIssue): boolean {
  // zod's built-in messages start with a capital ("Invalid input: …"); ours are lowercase.
  return !/^[A-Z]/.test(issue.message);
}

function typeMessage(issue: Extract<ZodIssue, { code: 'invalid_type' }>, input: unknown): string {
  const expected = Object.hasOwn(EXPECTED_WORDS, issue.expected) ? EXPECTED_WORDS[issue.expected] : issue.expected;
  if (input === undefined) return `required: add it as ${expected}`;
  return `expected ${expected}, got ${describeValue(input)}`;
}

/**
 * The issues of the union branch meant for the input's kind. Every union in the schema is
 * [short string form, long object form], so a string is judged by the first, an object by the last.
 */
function unionBranchIssues(issue: Extract<ZodIssue, { code: 'invalid_union' }>, input: unknown): ZodIssue[] | undefined {
  if (typeof input === 'string') return issue.errors[0];
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) return issue.errors[issue.errors.length - 1];
  return undefined;
}

function unionMessage(path: readonly PathSegment[], input: unknown): string {
  const list = path[0];
  if (list === 'hooks') return `expected a hook name or { "name": …, "priority": … }, got ${describeValue(input)}`;
  if (list === 'commands') return `expected a command name or { "name": …, "description": …, "usage": … }, got ${describeValue(input)}`;
  if (list === 'exec') return `expected a command name or { "command": …, "args": [[…]] }, got ${describeValue(input)}`;
  if (list === 'author') return `expected a name or { "name": …, "email": …, "url": … }, got ${describeValue(input)}`;
  return `expected one of the allowed forms, got ${describeValue(input)}`;
}

/** The value at `path` inside `root`, or undefined; never runs getters of unexpected shapes. */
function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(current, segment);
    if (descriptor === undefined || !('value' in descriptor)) return undefined;
    current = descriptor.value;
  }
  return current;
}

export function toManifestIssues(issue: ZodIssue, root: unknown, prefix: readonly PathSegment[] = []): ManifestIssue[] {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  const input = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: unknownKeyMessage(key, path) }));
    case 'invalid_union': {
      const branch = unionBranchIssues(issue, input);
      if (branch !== undefined) return branch.flatMap((inner) => toManifestIssues(inner, root, path));
      return [{ path: formatPath(path), message: unionMessage(path, input) }];
    }
    case 'invalid_type':
      if (isOwnMessage(issue)) return [{ path: formatPath(path), message: issue.message }];
      return [{ path: formatPath(path), message: typeMessage(issue, input) }];
    default:
      return [{ path: formatPath(path), message: isOwnMessage(issue) ? issue.message : issue.message.toLowerCase() }];
  }
}
