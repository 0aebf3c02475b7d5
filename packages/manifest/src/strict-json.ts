// Strict JSON text, as Marathon reads the files that decide what runs (plugin.json, lockfiles): no
// comments, no trailing commas, and no key given twice — JSON.parse would silently keep the last
// one, so two readers (or a reviewer and the host) could take one file to mean two things.
import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';
import { formatPath, type PathSegment } from './json-path';

export interface StrictJsonProblem {
  message: string;
  /** 1-based. */
  line: number;
  column: number;
}

function syntaxMessages(subject: string): Partial<Record<string, string>> {
  return {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes (is there a trailing comma?)',
    ValueExpected: 'expected a value (is there a trailing comma?)',
    ColonExpected: "expected ':'",
    CommaExpected: "expected ','",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: 'unexpected text after the end of the JSON value',
    InvalidCommentToken: `comments are not allowed in ${subject}`,
    UnexpectedEndOfComment: `comments are not allowed in ${subject}`,
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid \\u escape',
    InvalidEscapeCharacter: 'invalid escape sequence',
    InvalidCharacter: 'control character in a string (escape it, e.g. \\n)',
  };
}

/**
 * The first problem of `text` as strict JSON — a syntax error or a repeated key, with where it is —
 * or undefined. `subject` names the file kind in messages ("comments are not allowed in plugin.json").
 */
export function strictJsonProblem(text: string, subject: string): StrictJsonProblem | undefined {
  const messages = syntaxMessages(subject);
  let first: StrictJsonProblem | undefined;
  const seenKeys: Array<Set<string>> = [];
  visit(
    text,
    {
      onObjectBegin: () => void seenKeys.push(new Set()),
      onObjectEnd: () => void seenKeys.pop(),
      onObjectProperty: (property, _offset, _length, line, character, pathSupplier) => {
        const keys = seenKeys[seenKeys.length - 1];
        if (keys === undefined || first !== undefined) return;
        if (keys.has(property)) {
          const where = formatPath([...(pathSupplier() as PathSegment[]), property]);
          first = { message: `key ${where} appears twice; keep one`, line: line + 1, column: character + 1 };
        }
        keys.add(property);
      },
      onError: (error: ParseErrorCode, _offset, _length, line, character) => {
        if (first !== undefined) return;
        const name = printParseErrorCode(error);
        first = { message: (Object.hasOwn(messages, name) ? messages[name] : undefined) ?? name, line: line + 1, column: character + 1 };
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  return first;
}
