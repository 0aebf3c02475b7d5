import { TrustError } from './trust-error';

/** One problem of config.json: where (a JSON path such as `limits.max_memory`, `(root)`) and what. */
export interface PolicyIssue {
  path: string;
  message: string;
}

/**
 * config.json was refused (POLICY_INVALID): `issues` lists every problem found, each with its path,
 * as ManifestError does for plugin.json; `line` and `column` (1-based) point at a JSON syntax error.
 */
export class PolicyError extends TrustError {
  readonly issues: readonly PolicyIssue[];
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, issues: readonly PolicyIssue[], at: { line?: number; column?: number } = {}) {
    super('POLICY_INVALID', message);
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
    this.line = at.line;
    this.column = at.column;
  }
}
