import { MarathonError } from '@marathon/plugin-api';

/** One problem in a manifest: where (a JSON path such as `hooks[1].priority`) and what. */
export interface ManifestIssue {
  path: string;
  message: string;
}

export type ManifestErrorCode =
  /** The manifest parsed as JSON but breaks the schema; `issues` lists every problem. */
  | 'MANIFEST_INVALID'
  /** The folder has no plugin.json. */
  | 'MANIFEST_NOT_FOUND'
  /** plugin.json exists but could not be read (permissions, a folder in its place, …). */
  | 'MANIFEST_UNREADABLE'
  /** plugin.json is not valid JSON; `line` and `column` point at the first syntax error. */
  | 'MANIFEST_BAD_JSON'
  /** plugin.json is larger, or nests deeper, than any sane manifest; it was not parsed. */
  | 'MANIFEST_TOO_LARGE';

export interface ManifestErrorOptions {
  file?: string;
  line?: number;
  column?: number;
  cause?: unknown;
}

/** `1 problem`, `2 problems`: the count in an error's headline (manifest and policy errors). */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A manifest was refused. `issues` holds every problem found, not only the first. */
export class ManifestError extends MarathonError<ManifestErrorCode> {
  override readonly name = 'ManifestError';
  readonly issues: readonly ManifestIssue[];
  /** The plugin.json the problems are in, when read from disk. */
  readonly file: string | undefined;
  /** 1-based position of a JSON syntax error. */
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: ManifestErrorCode, issues: readonly ManifestIssue[], options: ManifestErrorOptions = {}) {
    super(code, ManifestError.headline(code, issues, options.file), {
      // A schema refusal lists every issue under its headline, with its path ("  hooks[1].priority: …").
      details: code === 'MANIFEST_INVALID' ? issues.map((issue) => `${issue.path}: ${issue.message}`) : [],
      cause: options.cause,
    });
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }

  private static headline(code: ManifestErrorCode, issues: readonly ManifestIssue[], file: string | undefined): string {
    if (code !== 'MANIFEST_INVALID') return issues.map((issue) => issue.message).join('\n');
    return `${file ?? 'plugin.json'} has ${plural(issues.length, 'problem')}:`;
  }
}

/** A plugin needs a plugin API this host does not provide. */
export class ApiIncompatibleError extends MarathonError<'API_INCOMPATIBLE'> {
  override readonly name = 'ApiIncompatibleError';

  constructor(
    message: string,
    readonly plugin: string | undefined,
    readonly pluginApi: string,
    readonly hostApi: string,
  ) {
    super('API_INCOMPATIBLE', message);
  }
}
