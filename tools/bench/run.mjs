#!/usr/bin/env node
// npm run bench [-- <name> ...] [--quick] [--no-doc]
// Runs the named benchmarks (all when none is named), each side by side with its peers, prints
// each table and its RESULT lines, then a summary of every goal; rewrites docs/benchmarks.md.
// --quick runs every benchmark at a small size, to prove they all run (CI's smoke run): its
// figures are not measurements, so it never writes the document and never fails on a goal.
import { writeDoc, machine, table } from './lib/report.mjs';

const SUITES = {
  events: () => import('./suites/events.mjs'),
  sandbox: () => import('./suites/sandbox.mjs'),
  discovery: () => import('./suites/discovery.mjs'),
  cli: () => import('./suites/cli.mjs'),
  install: () => import('./suites/install.mjs'),
};

const args = process.argv.slice(2);
const known = new Set(['--quick', '--no-doc', '--help']);
const badFlags = args.filter((arg) => arg.startsWith('-') && !known.has(arg));
const asked = args.filter((arg) => !arg.startsWith('-'));
const unknown = asked.filter((name) => !(name in SUITES));
if (args.includes('--help') || badFlags.length > 0 || unknown.length > 0) {
  if (badFlags.length > 0) console.error(`unknown option ${badFlags.join(', ')}`);
  if (unknown.length > 0) console.error(`unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}`);
  console.error(`usage: npm run bench -- [${Object.keys(SUITES).join('|')} ...] [--quick] [--no-doc]`);
  process.exit(args.includes('--help') ? 0 : 2);
}
const quick = args.includes('--quick');
const writeDocument = !quick && !args.includes('--no-doc');

console.log(
  `Machine: ${machine()}${quick ? '\nQuick mode: small sizes, to check that every benchmark runs; the figures are not measurements.' : ''}\n`,
);
const ran = [];
const results = [];
for (const name of asked.length > 0 ? asked : Object.keys(SUITES)) {
  const suite = await SUITES[name]();
  const started = performance.now();
  const report = await suite.run({ quick });
  const seconds = (performance.now() - started) / 1000;
  if (report.results.length === 0) throw new Error(`benchmark '${name}' reported no RESULT line`);
  const body = [report.table, '', ...report.notes.map((note) => `- ${note}`), '', '```', ...report.results.map((r) => r.line), '```'].join(
    '\n',
  );
  console.log(`## ${report.title}\n\n${body}\n\n(${name}: ${seconds.toFixed(1)} s)\n`);
  ran.push({ name, title: report.title, body });
  results.push(...report.results.map((r) => ({ ...r, suite: name })));
}

console.log(`## Summary\n\n${table([['benchmark', 'RESULT'], ...results.map((r) => [r.suite, r.line.replace(/^RESULT /, '')])])}\n`);
if (writeDocument) {
  writeDoc(ran, Object.keys(SUITES));
  console.log('docs/benchmarks.md rewritten.');
}
process.exitCode = !quick && results.some((r) => !r.pass) ? 1 : 0;
