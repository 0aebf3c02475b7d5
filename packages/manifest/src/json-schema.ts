import { manifestSchemaModule } from './lazy-schema';

let generated: Readonly<Record<string, unknown>> | undefined;

/**
 * JSON Schema (draft 2020-12) of plugin.json, generated from the zod schema on first call. Editors
 * use it for completion through `"$schema"`; it checks structure and formats, while cross-field
 * rules (a permission and its scope block, repeats, limits) are checked by parseManifest only.
 */
export function manifestJsonSchema(): Readonly<Record<string, unknown>> {
  if (generated === undefined) {
    const { z } = require('zod') as typeof import('zod');
    generated = Object.freeze(
      z.toJSONSchema(manifestSchemaModule().manifestSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>,
    );
  }
  return generated;
}
