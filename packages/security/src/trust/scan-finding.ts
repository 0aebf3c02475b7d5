// What the code scanner reports: one finding per rule and place in a file, and the state one
// file's scan collects them in.
import type { Node } from 'acorn';
import type { References } from './scan-references';

export type Severity = 'high' | 'medium';

export interface ScanFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  reason: string;
}

/** One file's scan: its findings so far and what its names refer to. */
export interface ScanContext {
  file: string;
  findings: ScanFinding[];
  refs: References;
}

/** One finding per rule and place: `Object.prototype.x = 1` is one finding, not a read and a write. */
export function report(context: ScanContext, node: Node, rule: string, severity: Severity, reason: string): void {
  const start = node.loc?.start;
  const finding: ScanFinding = { file: context.file, line: start?.line ?? 1, column: (start?.column ?? 0) + 1, rule, severity, reason };
  if (!context.findings.some((found) => found.rule === rule && found.line === finding.line && found.column === finding.column))
    context.findings.push(finding);
}
