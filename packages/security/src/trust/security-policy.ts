// The security policy every install passes: the SecurityPolicy of docs/design.md ("Trust at install"), typed and validated with
// zod (security-policy-schema.ts, loaded on first validation), read from MARATHON_HOME/config.json.
// config.json is shared: its top-level policy keys are the policy's, other keys are left to their
// owners; every top-level key must be one of CONFIG_KEYS (an unknown one is refused as the typo it
// most likely is, with the closest known key), and policy keys with wrong values are refused with
// their path — every problem at once.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Manifest from '@marathon/manifest';
import { DEFAULT_LIMITS, type JsonObject, type Permission, type ResourceLimits } from '@marathon/plugin-api';
import { defaultPolicy } from './policy-defaults';
import type * as PolicySchema from './security-policy-schema';
import { PolicyError, type PolicyIssue } from './policy-error';

export { DEFAULT_ALLOWED_EXTENSIONS, DEFAULT_DANGEROUS_COMBOS, EXTENSIONLESS_FILES } from './policy-defaults';
export { PolicyError, type PolicyIssue } from './policy-error';

export interface SecurityPolicy {
  require_signatures: boolean;
  allow_unsigned_dev: boolean;
  max_plugin_size: number;
  allowed_extensions: string[];
  dangerous_permission_combos: Permission[][];
  limits: {
    max_memory?: number | undefined;
    max_cpu_time_ms?: number | undefined;
    max_network_connections?: number | undefined;
    max_file_descriptors?: number | undefined;
    call_deadline_ms?: number | undefined;
  };
  allow_private_network: boolean;
  unsigned_allowlist: string[];
  max_archive_entries: number;
  /**
   * When a plugin that keeps failing is put in the error state by the manager: `max_faults` failed
   * calls (it threw, returned something that is not a result, or broke a limit), or `max_breaches`
   * broken limits alone, within `window_s` seconds. `enabled: false` never quarantines.
   */
  quarantine: QuarantinePolicy;
}

export interface QuarantinePolicy {
  enabled: boolean;
  max_faults: number;
  max_breaches: number;
  window_s: number;
}

/** A policy as written in config.json: every key optional. */
export type SecurityPolicyInput = PolicySchema.SecurityPolicySchemaInput;

/** The policy when config.json says nothing (policy-defaults.ts, which the schema's defaults read too). */
export const DEFAULT_POLICY: Readonly<SecurityPolicy> = Object.freeze(defaultPolicy());

let schemaModule: typeof PolicySchema | undefined;
const schema = (): typeof PolicySchema => (schemaModule ??= require('./security-policy-schema') as typeof PolicySchema);

/** The limits a sandbox should use under this policy: docs/design.md's defaults, overridden by the policy. */
export function policyLimits(policy: SecurityPolicy): ResourceLimits & { call_deadline_ms?: number } {
  return { ...DEFAULT_LIMITS, ...policy.limits };
}

/**
 * The top-level keys of config.json, and who reads each. The file is shared — the security policy
 * owns its keys, other settings belong to their owners — but a key nobody reads is a typo
 * (`requre_signatures` would silently leave signatures off), so any key not listed here is refused,
 * with the closest listed one. A component that reads a top-level key of its own adds it here.
 */
export const CONFIG_KEYS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(Object.keys(DEFAULT_POLICY).map((key) => [key, 'the security policy'])),
  plugins: "plugins' own settings, by plugin name (an object; checked by their config_validate hooks, not here)",
});

/**
 * @marathon/manifest, for describing a config.json's problems: loaded only when there is one, so
 * that a policy that loads cleanly never pays for the manifest package.
 */
const manifest = (): typeof Manifest => require('@marathon/manifest') as typeof Manifest;

function unknownKey(key: string, known: readonly string[]): string {
  const hint = manifest().didYouMean(key, known);
  return hint === '' ? `unknown key '${key}'; known keys are ${known.join(', ')}` : `unknown key '${key}'${hint}`;
}

/** The keys a policy key holding an object may have, for naming an unknown one's closest. */
function nestedKeys(key: PropertyKey | undefined): string[] {
  const { shape } = schema().securityPolicySchema;
  if (key === 'limits') return Object.keys(shape.limits.unwrap().shape);
  if (key === 'quarantine') return Object.keys(shape.quarantine.unwrap().shape);
  return [];
}

/** Every problem of a config.json object: unknown top-level keys, and policy keys with wrong values. */
function configIssues(input: unknown): { issues: PolicyIssue[]; policy?: SecurityPolicy } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { issues: [{ path: '(root)', message: 'config.json must hold a JSON object, like { "require_signatures": true }' }] };
  }
  const { securityPolicySchema } = schema();
  const policyKeys = Object.keys(securityPolicySchema.shape);
  const issues: PolicyIssue[] = [];
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(CONFIG_KEYS, key))
      issues.push({ path: manifest().formatPath([key]), message: unknownKey(key, Object.keys(CONFIG_KEYS)) });
    else if (policyKeys.includes(key)) known[key] = value;
    else if (key === 'plugins' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      issues.push({
        path: 'plugins',
        message: `expected an object of settings by plugin name, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
      });
    }
  }
  const result = securityPolicySchema.safeParse(known);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const shape = issue.path.length === 1 ? nestedKeys(issue.path[0]) : [];
        for (const key of issue.keys) issues.push({ path: manifest().formatPath([...issue.path, key]), message: unknownKey(key, shape) });
      } else {
        issues.push({ path: manifest().formatPath(issue.path), message: issue.message });
      }
    }
  }
  return issues.length === 0 && result.success ? { issues, policy: result.data } : { issues };
}

/**
 * Validates config.json's content (a parsed object): every top-level key must be one of
 * CONFIG_KEYS, and the policy keys must have the right values. Throws PolicyError (POLICY_INVALID)
 * listing every problem with its path; returns the policy, defaults filled in.
 */
export function parsePolicy(input: unknown, source = 'policy'): SecurityPolicy {
  const { issues, policy } = configIssues(input);
  if (policy !== undefined) return policy;
  const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`);
  throw new PolicyError(`${source} has ${manifest().plural(issues.length, 'problem')}:\n${lines.join('\n')}`, issues);
}

/**
 * Reads config.json's text: strict JSON (a syntax error or a repeated key is refused with its line
 * and column), then parsePolicy. Returns the whole configuration (for config_validate hooks) and
 * the policy.
 */
export function parseConfigText(text: string, file: string): { config: JsonObject; policy: SecurityPolicy } {
  const { strictJsonProblem } = manifest();
  const problem =
    text.trim() === ''
      ? { message: 'the file is empty; write {} for the defaults', line: 1, column: 1 }
      : strictJsonProblem(text, 'config.json');
  if (problem !== undefined) {
    const where = `line ${problem.line}, column ${problem.column}`;
    throw new PolicyError(`${file} is not valid JSON: ${where}: ${problem.message}`, [{ path: where, message: problem.message }], problem);
  }
  const config = JSON.parse(text) as unknown;
  const policy = parsePolicy(config, file);
  return { config: config as JsonObject, policy };
}

/** The policy in `<home>/config.json`, or the defaults when there is no such file. */
export async function loadPolicy(home: string): Promise<SecurityPolicy> {
  const file = join(home, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultPolicy();
    throw new PolicyError(`cannot read ${file}: ${(error as Error).message}`, []);
  }
  return parseConfigText(text, file).policy;
}
