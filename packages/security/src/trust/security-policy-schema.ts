// The zod schema of the security policy. Kept apart from security-policy.ts and loaded on first
// validation: zod and the schema cost ~80 ms to load, and most processes (the CLI listing plugins
// or running a plugin command without a config.json) never validate a policy.
import { PERMISSIONS, type Permission } from '@marathon/plugin-api';
import { z } from 'zod';
import { DEFAULT_ALLOWED_EXTENSIONS, DEFAULT_DANGEROUS_COMBOS } from './policy-defaults';

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

export type SecurityPolicySchemaOutput = z.output<typeof securityPolicySchema>;
export type SecurityPolicySchemaInput = z.input<typeof securityPolicySchema>;
