// The security policy every install passes: the seed's SecurityPolicy, typed and validated with
// zod (security-policy-schema.ts, loaded on first validation), read from MARATHON_HOME/config.json.
// Keys of config.json that are not policy (other settings) are left to their owners; policy keys
// with wrong values are refused with their path.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_LIMITS, type Permission, type ResourceLimits } from '@marathon/plugin-api';
import { DEFAULT_ALLOWED_EXTENSIONS, DEFAULT_DANGEROUS_COMBOS } from './policy-defaults';
import type * as PolicySchema from './security-policy-schema';
import { TrustError } from './trust-error';

export { DEFAULT_ALLOWED_EXTENSIONS, DEFAULT_DANGEROUS_COMBOS, EXTENSIONLESS_FILES } from './policy-defaults';

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
}

/** A policy as written in config.json: every key optional. */
export type SecurityPolicyInput = PolicySchema.SecurityPolicySchemaInput;

function defaults(): SecurityPolicy {
  return {
    require_signatures: false,
    allow_unsigned_dev: true,
    max_plugin_size: 10 * 1024 * 1024,
    allowed_extensions: [...DEFAULT_ALLOWED_EXTENSIONS],
    dangerous_permission_combos: DEFAULT_DANGEROUS_COMBOS.map((combo) => [...combo]),
    limits: {},
    allow_private_network: false,
    unsigned_allowlist: [],
    max_archive_entries: 10_000,
  };
}

/** The policy when config.json says nothing (a test checks it equals the schema's defaults). */
export const DEFAULT_POLICY: Readonly<SecurityPolicy> = Object.freeze(defaults());

let schemaModule: typeof PolicySchema | undefined;
const schema = (): typeof PolicySchema => (schemaModule ??= require('./security-policy-schema') as typeof PolicySchema);

/** The limits a sandbox should use under this policy: the seed's defaults, overridden by the policy. */
export function policyLimits(policy: SecurityPolicy): ResourceLimits & { call_deadline_ms?: number } {
  return { ...DEFAULT_LIMITS, ...policy.limits };
}

/** Validates a policy object; throws TrustError listing every problem with its path. */
export function parsePolicy(input: unknown, source = 'policy'): SecurityPolicy {
  const { securityPolicySchema } = schema();
  const policyKeys = Object.keys(securityPolicySchema.shape);
  const known = typeof input === 'object' && input !== null && !Array.isArray(input)
    ? Object.fromEntries(Object.entries(input).filter(([key]) => policyKeys.includes(key)))
    : input;
  const result = securityPolicySchema.safeParse(known);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new TrustError('POLICY_INVALID', `${source} has an invalid security policy:\n  ${problems.join('\n  ')}`);
}

/** The policy in `<home>/config.json`, or the defaults when there is no such file. */
export async function loadPolicy(home: string): Promise<SecurityPolicy> {
  const file = join(home, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaults();
    throw new TrustError('POLICY_INVALID', `cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TrustError('POLICY_INVALID', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePolicy(parsed, file);
}
