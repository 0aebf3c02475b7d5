// zod and the manifest schema built from it take ~100 ms to load. Processes that never validate a
// manifest — the CLI listing plugins or running a plugin command, a host dispatching hooks — should
// not pay that at import, so the schema module is loaded on first use.
import type * as SchemaModule from './manifest-schema';

let loaded: typeof SchemaModule | undefined;

/** The schema module (zod schema, object keys for did-you-mean), loaded on first call. */
export function manifestSchemaModule(): typeof SchemaModule {
  return (loaded ??= require('./manifest-schema') as typeof SchemaModule);
}
