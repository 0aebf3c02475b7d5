// The security policy every install passes: the seed's SecurityPolicy, typed and validated with
// zod, read from MARATHON_HOME/config.json. Keys of config.json that are not policy (other
// settings) are left to their owners; policy keys with wrong values are refused with their path.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_LIMITS, PERMISSIONS, type Permission, type ResourceLimits } from '@marathon/plugin-api';
import { z } from 'zod';
import { TrustError } from './trust-error';

/**
 * What a plugin may ship. JavaScript the engine runs (.js .mjs .cjs), data it reads (.json), and
 * text for people (.md .txt), source maps (.map) and type declarations (.d.ts, never executed).
 * No .ts (the engine does not run it), no binaries, no shell scripts.
 */
export const DEFAULT_ALLOWED_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs', '.json', '.md', '.txt', '.map', '.d.ts'];

/** Files without an extension that packages customarily carry. */
export const EXTENSIONLESS_FILES: readonly string[] = ['LICENSE', 'LICENCE', 'README', 'CHANGELOG', 'NOTICE', 'AUTHORS', 'COPYING'];

/**
 * Permissions that together reach further than either alone, so they need explicit consent:
 * exec + filesystem (write a script, then run it — the seed's example), exec + network (fetch a
 * payload and run it), network + env_vars (read secrets and send them away).
 */
export const DEFAULT_DANGEROUS_COMBOS: readonly (readonly Permission[])[] = [
  ['exec', 'filesystem'],
  ['exec', 'network'],
  ['network', 'env_vars'],
];

const permission = z.enum(PERMISSIONS as [Permission, ...Permission[]]);
const positiveInt = z.int().positive();

export const securityPolicySchema = z.object({
  require_signatures: z.boolean().default(false),
  allow_unsigned_dev: z.boolean().default(true),
  max_plugin_size: positiveInt.default(10 * 1024 * 1024),
  allowed_extensions: z.array(z.string().regex(/^\.[a-z0-9.]+$/, { error: 'an extension starts with a dot, like .js' })).default([...DEFAULT_ALLOWED_EXTENSIONS]),
  dangerous_permission_combos: z.array(z.array(permission).min(2)).default(DEFAULT_DANGEROUS_COMBOS.map((combo) => [...combo])),
  limits: z
    .strictObject({
      max_memory: positiveInt.optional(),
      max_cpu_time_ms: positiveInt.optional(),
      max_network_connections: positiveInt.optional(),
      max_file_descriptors: positiveInt.optional(),
      call_deadline_ms: positiveInt.optional(),
    })
    .default({}),
  allow_private_network: z.boolean().default(false),
  unsigned_allowlist: z.array(z.string()).default([]),
  max_archive_entries: positiveInt.default(10_000),
});

export type SecurityPolicy = z.output<typeof securityPolicySchema>;
export type SecurityPolicyInput = z.input<typeof securityPolicySchema>;

export const DEFAULT_POLICY: Readonly<SecurityPolicy> = Object.freeze(securityPolicySchema.parse({}));

/** The limits a sandbox should use under this policy: the seed's defaults, overridden by the policy. */
export function policyLimits(policy: SecurityPolicy): ResourceLimits & { call_deadline_ms?: number } {
  return { ...DEFAULT_LIMITS, ...policy.limits };
}

const POLICY_KEYS = Object.keys(securityPolicySchema.shape);

/** Validates a policy object; throws TrustError listing every problem with its path. */
export function parsePolicy(input: unknown, source = 'policy'): SecurityPolicy {
  const known = typeof input === 'object' && input !== null && !Array.isArray(input)
    ? Object.fromEntries(Object.entries(input).filter(([key]) => POLICY_KEYS.includes(key)))
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
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return securityPolicySchema.parse({});
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
