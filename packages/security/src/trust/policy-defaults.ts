import type { Permission } from '@marathon/plugin-api';
import type { SecurityPolicy } from './security-policy';

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
 * exec + filesystem (write a script, then run it — the example in docs/design.md, "Trust at install"), exec + network (fetch a
 * payload and run it), network + env_vars (read secrets and send them away).
 */
export const DEFAULT_DANGEROUS_COMBOS: readonly (readonly Permission[])[] = [
  ['exec', 'filesystem'],
  ['exec', 'network'],
  ['network', 'env_vars'],
];

/**
 * The policy when config.json says nothing, written once: DEFAULT_POLICY is a frozen copy and the
 * zod schema fills each key a config.json leaves out from it. A fresh object on every call, so a
 * caller that changes a list changes only its own.
 */
export function defaultPolicy(): SecurityPolicy {
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
    // Five faults a minute is a plugin that fails on most events of a busy host, not a bad moment;
    // a broken limit costs the host a whole deadline (or a worker), so three of them are enough.
    quarantine: { enabled: true, max_faults: 5, max_breaches: 3, window_s: 60 },
  };
}
