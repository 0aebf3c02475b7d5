import { z } from 'zod';
import { manifestSchema } from './manifest-schema';

/**
 * JSON Schema (draft 2020-12) of plugin.json, generated from the zod schema. Editors use it for
 * completion through `"$schema"`; it checks structure and formats, while cross-field rules (a
 * permission and its scope block, repeats, limits) are checked by parseManifest only.
 */
export const manifestJsonSchema: Readonly<Record<string, unknown>> = Object.freeze(
  z.toJSONSchema(manifestSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>,
);
