// The zod schema of the security policy. Kept apart from security-policy.ts and loaded on first
// validation: zod and the schema cost ~80 ms to load, and most processes (the CLI listing plugins
// or running a plugin command without a config.json) never validate a policy.
import { PERMISSIONS, type Permission } from '@marathon/plugin-api';
import { z } from 'zod';
import { defaultPolicy } from './policy-defaults';
import type { SecurityPolicy } from './security-policy';

const permission = z.enum(PERMISSIONS as [Permission, ...Permission[]]);
const positiveInt = z.int().positive();
/** A key's default, read from the one default policy (a fresh copy each parse: lists are not shared). */
const fromDefaults =
  <K extends keyof SecurityPolicy>(key: K) =>
  (): SecurityPolicy[K] =>
    defaultPolicy()[key];

export const securityPolicySchema = z.object({
  require_signatures: z.boolean().default(fromDefaults('require_signatures')),
  allow_unsigned_dev: z.boolean().default(fromDefaults('allow_unsigned_dev')),
  max_plugin_size: positiveInt.default(fromDefaults('max_plugin_size')),
  allowed_extensions: z
    .array(z.string().regex(/^\.[a-z0-9.]+$/, { error: 'an extension starts with a dot, like .js' }))
    .default(fromDefaults('allowed_extensions')),
  dangerous_permission_combos: z.array(z.array(permission).min(2)).default(fromDefaults('dangerous_permission_combos')),
  limits: z
    .strictObject({
      max_memory: positiveInt.optional(),
      max_cpu_time_ms: positiveInt.optional(),
      max_network_connections: positiveInt.optional(),
      max_file_descriptors: positiveInt.optional(),
      call_deadline_ms: positiveInt.optional(),
    })
    .default(fromDefaults('limits')),
  allow_private_network: z.boolean().default(fromDefaults('allow_private_network')),
  unsigned_allowlist: z.array(z.string()).default(fromDefaults('unsigned_allowlist')),
  max_archive_entries: positiveInt.default(fromDefaults('max_archive_entries')),
  // Each key defaults on its own, so `{ "quarantine": { "max_faults": 10 } }` keeps the other defaults.
  quarantine: z
    .strictObject({
      enabled: z.boolean().default(() => defaultPolicy().quarantine.enabled),
      max_faults: positiveInt.default(() => defaultPolicy().quarantine.max_faults),
      max_breaches: positiveInt.default(() => defaultPolicy().quarantine.max_breaches),
      window_s: positiveInt.default(() => defaultPolicy().quarantine.window_s),
    })
    .default(fromDefaults('quarantine')),
});

export type SecurityPolicySchemaOutput = z.output<typeof securityPolicySchema>;
export type SecurityPolicySchemaInput = z.input<typeof securityPolicySchema>;
