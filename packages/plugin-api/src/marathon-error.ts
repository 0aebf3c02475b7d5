/**
 * Marks an error as written for the operator. A registered symbol, not the class itself: a host can
 * end up with two copies of a package (mixed versions), whose classes `instanceof` cannot match.
 */
const BRAND = Symbol.for('marathon.error');

/** What every Marathon error carries, whichever copy of this package made it. */
export interface MarathonErrorLike extends Error {
  readonly code: string;
  /** The findings behind the message, one a line (trust findings, manifest issues, a cycle). */
  readonly details: readonly string[];
}

/** The --json shape of an error: its first line, and the findings beneath it one per entry. */
export interface MarathonErrorJson {
  code: string;
  message: string;
  details: string[];
}

export interface MarathonErrorOptions {
  /** Listed under the message, one an indented line, and kept as `details`. */
  details?: readonly string[];
  cause?: unknown;
}

/** The message with its details beneath it, one a line indented by two spaces. */
function withDetails(message: string, details: readonly string[]): string {
  return details.length === 0 ? message : `${message}\n${details.map((line) => `  ${line}`).join('\n')}`;
}

/**
 * The findings an error lists: the lines under its message's first line, else its `details`.
 * The message's lines win because the message is what was finished for the operator (an install
 * names the folder they gave, not its staging copy, in the message only): --json then shows
 * exactly what the terminal shows.
 */
function listedDetails(error: MarathonErrorLike): string[] {
  const listed = error.message
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (listed.length > 0) return listed;
  return Array.isArray(error.details) ? error.details.filter((line): line is string => typeof line === 'string') : [];
}

/**
 * The base of every error Marathon writes for the operator: a `code` to branch on, a message that
 * says what happened and what to do next, and `details` for the findings behind it. Anything else
 * that reaches a host (a Node fs error, a bug) is unexpected and shown as such.
 *
 * `instanceof MarathonError` answers by the brand, so it holds across copies of this package and
 * for the few Marathon errors that must stay another kind of Error (EventsError is a TypeError):
 * those call `MarathonError.brand(this)`. `instanceof` a subclass is the ordinary prototype test.
 */
export class MarathonError<Code extends string = string> extends Error implements MarathonErrorLike {
  readonly code: Code;
  readonly details: readonly string[];

  constructor(code: Code, message: string, options: MarathonErrorOptions = {}) {
    const details = Object.freeze([...(options.details ?? [])]);
    super(withDetails(message, details), options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.details = details;
    MarathonError.brand(this);
  }

  /** Whether `value` is a Marathon error, from this copy of the package or another. */
  static is(value: unknown): value is MarathonErrorLike {
    return value instanceof Error && (value as Error & { [BRAND]?: unknown })[BRAND] === true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses inherit this static: for them, the ordinary prototype-chain test.
    if (this !== MarathonError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return MarathonError.is(value);
  }

  /** Marks an error that cannot extend this class (it must stay a TypeError) as a Marathon error. */
  static brand(error: MarathonErrorLike): void {
    Object.defineProperty(error, BRAND, { value: true, enumerable: false });
  }

  /** For the terminal: the message, and the details beneath it when the message does not list them. */
  static format(error: MarathonErrorLike): string {
    const [headline = ''] = error.message.split('\n');
    const details = listedDetails(error);
    return error.message.includes('\n') ? error.message : withDetails(headline, details);
  }

  /** For --json: `{ code, message (its first line), details }`. */
  static toJSON(error: MarathonErrorLike): MarathonErrorJson {
    const [headline = ''] = error.message.split('\n');
    return { code: error.code, message: headline, details: listedDetails(error) };
  }

  format(): string {
    return MarathonError.format(this);
  }

  toJSON(): MarathonErrorJson {
    return MarathonError.toJSON(this);
  }
}
