import type { Author, Manifest } from './manifest';
import { normalizeHost, normalizeMain } from './formats';
import type { ManifestData } from './manifest-schema';
import type { SettingDeclaration, SettingValue } from './setting-declaration';

// npm's person format: "Name <email> (url)", email and url optional.
const PERSON = /^([^<(]*?)\s*(?:<([^>]*)>)?\s*(?:\(([^)]*)\))?\s*$/;

function parseAuthor(author: NonNullable<ManifestData['author']>): Author {
  if (typeof author !== 'string') return { ...author };
  const match = PERSON.exec(author);
  const name = match?.[1]?.trim();
  if (match === null || name === undefined || name === '') return { name: author.trim() };
  const result: { name: string; email?: string; url?: string } = { name };
  if (match[2]) result.email = match[2].trim();
  if (match[3]) result.url = match[3].trim();
  return result;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A hook's priority, default 0. `-0` passes the whole-number check but would not survive a round
 * trip through JSON (it is written as 0), so the normalised manifest holds 0 instead.
 */
function wholePriority(priority: number | undefined): number {
  return priority === undefined || Object.is(priority, -0) ? 0 : priority;
}

/** -0 as 0, as JSON writes it, so that a stored manifest reads back the same (see wholePriority). */
function plainZero<T>(value: T): T {
  return (Object.is(value, -0) ? 0 : value) as T;
}

type DeclarationData = NonNullable<ManifestData['configuration']>[string];

/**
 * A declaration with only the fields written; setting-rules.ts has checked that `default` and
 * `enum` hold values of the declared type, which the schema leaves unknown.
 */
function normalizeSetting(data: DeclarationData): SettingDeclaration {
  const declaration: { -readonly [K in keyof SettingDeclaration]: SettingDeclaration[K] } = {
    type: data.type,
    description: data.description,
  };
  if (data.default !== undefined) {
    const value = data.default as SettingValue;
    declaration.default = Array.isArray(value) ? [...value] : plainZero(value);
  }
  if (data.enum !== undefined) declaration.enum = (data.enum as Array<string | number | boolean>).map(plainZero);
  if (data.minimum !== undefined) declaration.minimum = plainZero(data.minimum);
  if (data.maximum !== undefined) declaration.maximum = plainZero(data.maximum);
  if (data.pattern !== undefined) declaration.pattern = data.pattern;
  if (data.secret !== undefined) declaration.secret = data.secret;
  return declaration;
}

/** Fills defaults and gives every entry one shape; input has passed the schema and the rules. */
export function normalizeManifest(data: ManifestData): Manifest {
  const manifest: { -readonly [K in keyof Manifest]: Manifest[K] } = {
    name: data.name,
    version: data.version,
    description: data.description ?? '',
    api_version: data.api_version,
    main: normalizeMain(data.main ?? 'index.js'),
    permissions: [...(data.permissions ?? [])],
    hooks: (data.hooks ?? []).map((hook) =>
      typeof hook === 'string' ? { name: hook, priority: 0 } : { name: hook.name, priority: wholePriority(hook.priority) },
    ),
    commands: (data.commands ?? []).map((command) =>
      typeof command === 'string'
        ? { name: command, description: '', usage: '' }
        : { name: command.name, description: command.description ?? '', usage: command.usage ?? '' },
    ),
    dependencies: Object.fromEntries(Object.entries(data.dependencies ?? {})),
    limits: { ...data.limits },
  };
  if (data.author !== undefined) manifest.author = parseAuthor(data.author);
  if (data.network !== undefined) manifest.network = { allowed_hosts: data.network.allowed_hosts.map(normalizeHost) };
  if (data.env_vars !== undefined) manifest.env_vars = { allowed: [...data.env_vars.allowed] };
  if (data.exec !== undefined) {
    manifest.exec = {
      allowed_commands: data.exec.allowed_commands.map((entry) =>
        typeof entry === 'string' ? entry : { command: entry.command, args: entry.args.map((prefix) => [...prefix]) },
      ),
    };
  }
  // Absent rather than {} when none are declared, so that manifests stored before settings existed read the same.
  if (data.configuration !== undefined && Object.keys(data.configuration).length > 0) {
    manifest.configuration = Object.fromEntries(Object.entries(data.configuration).map(([key, value]) => [key, normalizeSetting(value)]));
  }
  return deepFreeze(manifest);
}
