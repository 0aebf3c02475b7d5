// Output shared by every benchmark: a table for people, RESULT lines for scripts (docs/design.md, Benchmarks:
// `RESULT <id> <measure>=<value> goal<op><value> PASS|FAIL`), and docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
  // Ratio goals read as docs/design.md writes them (goal>=1.0); counts and milliseconds as integers.
  const goalShown = Number.isInteger(goal) && goal < 10 ? goal.toFixed(1) : String(goal);
  return { line: `RESULT ${id} ${measureName}=${shown} goal${op}${goalShown} ${pass ? 'PASS' : 'FAIL'}`, pass };
}

const HEADER =
  "# Benchmarks\n\nWritten by `npm run bench` (tools/bench); `npm run bench -- <name>` rewrites that benchmark's section\n" +
  'and the summary. Each section is one run, with its date and the machine it ran on. Figures from shared, busy\n' +
  'machines move between runs; compare rows of the same run. Goals: docs/design.md (Benchmarks).\n';

const sectionPattern = /<!-- bench:([a-z-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g;

/** The sections of the current docs/benchmarks.md, by suite name (a file of another shape has none). */
function readSections() {
  if (!existsSync(benchmarksDoc)) return new Map();
  const text = readFileSync(benchmarksDoc, 'utf8');
  return new Map([...text.matchAll(sectionPattern)].map((match) => [match[1], match[2]]));
}

/**
 * Rewrites docs/benchmarks.md: the sections of the suites that ran replace their previous ones,
 * the others are kept, and the summary table is rebuilt from every section's RESULT lines.
 * @param {Array<{ name: string, title: string, body: string }>} ran
 * @param {string[]} order every suite's name, in the order the document lists them
 */
export function writeDoc(ran, order) {
  const sections = readSections();
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const { name, title, body } of ran) sections.set(name, `## ${title} — ${stamp}\n\nMachine: ${machine()}\n\n${body}\n`);
  const names = order.filter((name) => sections.has(name));
  const results = names.flatMap((name) =>
    [...sections.get(name).matchAll(/^RESULT (\S+) (\S+)=(\S+) goal(\S+) (PASS|FAIL)$/gm)].map((m) => [m[1], m[2], m[3], m[4], m[5], name]),
  );
  const summary =
    results.length === 0 ? '' : `## Summary\n\n${table([['id', 'measure', 'value', 'goal', 'result', 'benchmark'], ...results])}\n\n`;
  const body = names.map((name) => `<!-- bench:${name} -->\n${sections.get(name)}<!-- /bench:${name} -->\n`).join('\n');
  writeFileSync(benchmarksDoc, `${HEADER}\n${summary}${body}`);
}
