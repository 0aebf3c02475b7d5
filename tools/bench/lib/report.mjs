// Output shared by every benchmark: a table for people, RESULT lines for scripts (DESIGN.md:
// `RESULT <id> <measure>=<value> goal<op><value> PASS|FAIL`), and a section in docs/benchmarks.md.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const benchmarksDoc = join(root, 'docs', 'benchmarks.md');

export function machine() {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()} ${arch()}, Node ${process.version}`;
}

const formatNumber = (value) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toLocaleString('en-US', { maximumSignificantDigits: 3 });

/** A Markdown table: rows of equal-length arrays, the first being the header. */
export function table(rows) {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : String(cell))));
  const widths = text[0].map((_, column) => Math.max(...text.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(text[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...text.slice(1).map(line)].join('\n');
}

/**
 * One RESULT line. `op` is '>=' or '<='.
 * @returns {{ line: string, pass: boolean }}
 */
export function result(id, measureName, value, op, goal) {
  const pass = op === '>=' ? value >= goal : value <= goal;
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(2);
  return { line: `RESULT ${id} ${measureName}=${shown} goal${op}${goal} ${pass ? 'PASS' : 'FAIL'}`, pass };
}

/** Appends a dated section to docs/benchmarks.md. */
export function appendToDoc(title, body) {
  if (!existsSync(benchmarksDoc)) {
    writeFileSync(
      benchmarksDoc,
      '# Benchmarks\n\nAppended by `npm run bench` (tools/bench): each section is one run, with the machine it ran on.\n' +
        'Figures from shared, busy machines move between runs; compare rows of the same run.\n',
    );
  }
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  appendFileSync(benchmarksDoc, `\n## ${title} — ${stamp}\n\nMachine: ${machine()}\n\n${body}\n`);
}
