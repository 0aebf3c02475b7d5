import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';
import { ManifestError, type ManifestIssue } from './errors';
import { formatPath, type PathSegment } from './json-path';
import { firstExcessiveNesting, MAX_MANIFEST_DEPTH } from './nesting-depth';
import type { Manifest } from './manifest';
import { parseManifest, type ParseManifestOptions } from './parse-manifest';

/** No real manifest comes near this; a larger file is refused unread. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

const SYNTAX_MESSAGES: Partial<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes (is there a trailing comma?)',
  ValueExpected: 'expected a value (is there a trailing comma?)',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in plugin.json',
  UnexpectedEndOfComment: 'comments are not allowed in plugin.json',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape sequence',
  InvalidCharacter: 'control character in a string (escape it, e.g. \\n)',
};

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

/**
 * Checks JSON syntax strictly (no comments, no trailing commas) and refuses repeated keys, which
 * JSON.parse would silently resolve to the last one: a manifest must mean one thing to every reader.
 */
function checkSyntax(text: string, file: string | undefined): void {
  let firstError: ManifestError | undefined;
  const seenKeys: Array<Set<string>> = [];
  visit(
    text,
    {
      onObjectBegin: () => void seenKeys.push(new Set()),
      onObjectEnd: () => void seenKeys.pop(),
      onObjectProperty: (property, _offset, _length, line, character, pathSupplier) => {
        const keys = seenKeys[seenKeys.length - 1];
        if (keys === undefined || firstError !== undefined) return;
        if (keys.has(property)) {
          const where = formatPath([...(pathSupplier() as PathSegment[]), property]);
          firstError = syntaxError(`key ${where} appears twice; keep one`, { line: line + 1, column: character + 1 }, file);
        }
        keys.add(property);
      },
      onError: (error: ParseErrorCode, _offset, _length, line, character) => {
        if (firstError !== undefined) return;
        const name = printParseErrorCode(error);
        firstError = syntaxError((Object.hasOwn(SYNTAX_MESSAGES, name) ? SYNTAX_MESSAGES[name] : undefined) ?? name, { line: line + 1, column: character + 1 }, file);
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (firstError !== undefined) throw firstError;
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
    const message = `${options.file ?? 'plugin.json'} nests objects and arrays more than ${MAX_MANIFEST_DEPTH} levels deep (at ${where}); a manifest is only a few levels deep`;
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
