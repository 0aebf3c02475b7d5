import { ManifestError, type ManifestIssue } from './errors';
import { firstExcessiveNesting, MAX_MANIFEST_DEPTH } from './nesting-depth';
import type { Manifest } from './manifest';
import { parseManifest, type ParseManifestOptions } from './parse-manifest';
import { strictJsonProblem } from './strict-json';

/** No real manifest comes near this; a larger file is refused unread. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

interface Position {
  line: number;
  column: number;
}

function syntaxError(message: string, at: Position, file: string | undefined): ManifestError {
  const where = `line ${at.line}, column ${at.column}`;
  const subject = file ?? 'plugin.json';
  const issue: ManifestIssue = { path: '(root)', message: `${subject} is not valid JSON: ${message} at ${where}` };
  return new ManifestError('MANIFEST_BAD_JSON', [issue], { ...(file === undefined ? {} : { file }), ...at });
}

/** Refuses text that is not strict JSON, or repeats a key (see strict-json.ts), saying where. */
function checkSyntax(text: string, file: string | undefined): void {
  const problem = strictJsonProblem(text, 'plugin.json');
  if (problem !== undefined) throw syntaxError(problem.message, { line: problem.line, column: problem.column }, file);
}

/** Parses and validates the text of a plugin.json; throws ManifestError (bad JSON or an invalid manifest). */
export function parseManifestJson(text: string, options: ParseManifestOptions = {}): Manifest {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const errorOptions = options.file === undefined ? {} : { file: options.file };
  if (Buffer.byteLength(body, 'utf8') > MAX_MANIFEST_BYTES) {
    const message = `${options.file ?? 'plugin.json'} is larger than ${MAX_MANIFEST_BYTES} bytes; a manifest describes a plugin, it does not hold data`;
    throw new ManifestError('MANIFEST_TOO_LARGE', [{ path: '(root)', message }], errorOptions);
  }
  if (body.trim() === '') {
    const message = `${options.file ?? 'plugin.json'} is empty; it must hold a JSON object with at least name, version and api_version`;
    throw new ManifestError('MANIFEST_BAD_JSON', [{ path: '(root)', message }], errorOptions);
  }
  const tooDeep = firstExcessiveNesting(body);
  if (tooDeep !== undefined) {
    const where = `line ${tooDeep.line}, column ${tooDeep.column}`;
    const message =
      `${options.file ?? 'plugin.json'} nests objects and arrays more than ` +
      `${MAX_MANIFEST_DEPTH} levels deep (at ${where}); a manifest is only a few levels deep`;
    throw new ManifestError('MANIFEST_TOO_LARGE', [{ path: '(root)', message }], { ...errorOptions, ...tooDeep });
  }
  checkSyntax(body, options.file);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    // The strict visitor above accepts only what JSON.parse accepts; this is a safety net.
    const message = `${options.file ?? 'plugin.json'} is not valid JSON: ${(cause as Error).message}`;
    throw new ManifestError('MANIFEST_BAD_JSON', [{ path: '(root)', message }], { ...errorOptions, cause });
  }
  return parseManifest(value, options);
}
