// Rules across fields, checked on the raw input next to zod's structural checks so that every
// problem is reported in one go. Each rule looks only at values of the right shape and leaves
// wrong shapes to the schema, so no problem is reported twice.
import { DEFAULT_LIMITS, type ResourceLimits } from '@marathon/plugin-api';
import type { ManifestIssue } from './errors';
import { packageNameProblem } from './formats';
import { formatPath } from './json-path';
import { isRecord, own, type Raw } from './raw-record';
import { entryName, repeatIssues } from './repeat-issues';
import { configurationIssues } from './setting-rules';

/** Permissions that are only usable with a block saying what exactly they reach. */
const SCOPED_PERMISSIONS = [
  { permission: 'network', block: 'network', example: '"network": { "allowed_hosts": ["api.example.com"] }' },
  { permission: 'env_vars', block: 'env_vars', example: '"env_vars": { "allowed": ["MY_TOKEN"] }' },
  { permission: 'exec', block: 'exec', example: '"exec": { "allowed_commands": ["git"] }' },
] as const;

function scopeIssues(input: Raw): ManifestIssue[] {
  const permissions = own(input, 'permissions');
  const requested = new Set(Array.isArray(permissions) ? permissions.filter((p) => typeof p === 'string') : []);
  const issues: ManifestIssue[] = [];
  for (const { permission, block, example } of SCOPED_PERMISSIONS) {
    const hasBlock = own(input, block) !== undefined;
    if (requested.has(permission) && !hasBlock) {
      issues.push({
        path: block,
        message: `the '${permission}' permission needs a scope: add ${example}`,
      });
    } else if (!requested.has(permission) && hasBlock) {
      issues.push({
        path: block,
        message: `'${block}' is set but the '${permission}' permission is not requested: add '${permission}' to permissions or remove '${block}'`,
      });
    }
  }
  return issues;
}

/** A pinned argument prefix as one comparable word: its arguments, when they are all strings. */
function prefixName(prefix: unknown): string | undefined {
  return Array.isArray(prefix) && prefix.every((arg) => typeof arg === 'string') ? JSON.stringify(prefix) : undefined;
}

function dependencyIssues(input: Raw): ManifestIssue[] {
  const dependencies = own(input, 'dependencies');
  if (!isRecord(dependencies)) return [];
  const self = own(input, 'name');
  const issues: ManifestIssue[] = [];
  for (const name of Object.keys(dependencies)) {
    const path = formatPath(['dependencies', name]);
    const problem = packageNameProblem(name);
    if (problem !== undefined) issues.push({ path, message: problem });
    else if (name === self) issues.push({ path, message: 'a plugin cannot depend on itself' });
  }
  return issues;
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${bytes} (${mib} MiB)` : String(bytes);
}

function limitIssues(input: Raw, policy: ResourceLimits): ManifestIssue[] {
  const limits = own(input, 'limits');
  if (!isRecord(limits)) return [];
  const issues: ManifestIssue[] = [];
  for (const key of Object.keys(policy) as Array<keyof ResourceLimits>) {
    const value = own(limits, key);
    if (typeof value !== 'number' || !(value > policy[key])) continue;
    const show = key === 'max_memory' ? formatBytes : String;
    issues.push({
      path: formatPath(['limits', key]),
      message: `${show(value)} is above the host policy's ${show(policy[key])}; a plugin may only lower its limits`,
    });
  }
  return issues;
}

/** A command listed twice (plain or pinned), and a prefix repeated within a pinned command. */
function execRepeatIssues(input: Raw): ManifestIssue[] {
  const exec = own(input, 'exec');
  const commands = isRecord(exec) ? own(exec, 'allowed_commands') : undefined;
  if (!Array.isArray(commands)) return [];
  const path = ['exec', 'allowed_commands'];
  const issues = repeatIssues(commands, path, (entry) => entryName(entry, 'command'));
  commands.forEach((entry, index) => {
    if (isRecord(entry)) issues.push(...repeatIssues(own(entry, 'args'), [...path, index, 'args'], prefixName));
  });
  return issues;
}

/** Every cross-field problem of a manifest, in field order. */
export function manifestRuleIssues(input: unknown, policy: ResourceLimits = DEFAULT_LIMITS): ManifestIssue[] {
  if (!isRecord(input)) return [];
  const lists = ['permissions', 'hooks', 'commands'].flatMap((key) => repeatIssues(own(input, key), [key]));
  const scopeLists = [
    ['network', 'allowed_hosts'],
    ['env_vars', 'allowed'],
  ].flatMap(([block, key]) => {
    const scope = own(input, block!);
    return isRecord(scope) ? repeatIssues(own(scope, key!), [block!, key!]) : [];
  });
  return [
    ...lists,
    ...dependencyIssues(input),
    ...scopeIssues(input),
    ...scopeLists,
    ...execRepeatIssues(input),
    ...limitIssues(input, policy),
    ...configurationIssues(input),
  ];
}
