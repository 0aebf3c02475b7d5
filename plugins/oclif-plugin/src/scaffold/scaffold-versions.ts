// The version ranges a generated project depends on, inlined at build time by
// scripts/write-scaffold-versions.cjs into scaffold-versions.json next to this module's built file,
// so the published package does not depend on the packages it names just to read their versions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateOptions } from './plugin-template';
import { ScaffoldError } from './scaffold-error';

export type ScaffoldVersions = TemplateOptions['versions'];

const KEYS = ['pluginApi', 'pluginTesting', 'manifest', 'typescript', 'esbuild'] as const satisfies ReadonlyArray<keyof ScaffoldVersions>;

/** The ranges written at build time; a ScaffoldError (VERSIONS_MISSING) when the build did not write them. */
export function scaffoldVersions(file: string = join(__dirname, 'scaffold-versions.json')): ScaffoldVersions {
  let parsed: Partial<Record<keyof ScaffoldVersions, unknown>>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new ScaffoldError(
      'VERSIONS_MISSING',
      `${file} cannot be read (${(error as Error).message}): this @marathon/oclif-plugin is not fully built; run its build, or reinstall it`,
    );
  }
  const missing = KEYS.filter((key) => typeof parsed[key] !== 'string');
  if (missing.length > 0)
    throw new ScaffoldError('VERSIONS_MISSING', `${file} has no range for ${missing.join(', ')}: rebuild @marathon/oclif-plugin`);
  return Object.fromEntries(KEYS.map((key) => [key, parsed[key] as string])) as ScaffoldVersions;
}
