import type { Permission } from '@marathon/plugin-api';

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
