#!/usr/bin/env node
// npm run bench [-- <name> ...]: runs the named benchmarks (all when none is named), prints each
// table and its RESULT lines, and appends them with the machine to docs/benchmarks.md.
import { appendToDoc, machine } from './lib/report.mjs';

const SUITES = {
  events: () => import('./suites/events.mjs'),
  sandbox: () => import('./suites/sandbox.mjs'),
  discovery: () => import('./suites/discovery.mjs'),
  cli: () => import('./suites/cli.mjs'),
  install: () => import('./suites/install.mjs'),
};

const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = asked.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}; benchmarks are: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
const noDoc = process.argv.includes('--no-doc');

console.log(`Machine: ${machine()}\n`);
let failed = false;
for (const name of asked.length > 0 ? asked : Object.keys(SUITES)) {
  const suite = await SUITES[name]();
  const report = await suite.run();
  const body = [report.table, '', ...report.notes.map((note) => `- ${note}`), '', '```', ...report.results.map((r) => r.line), '```'].join('\n');
  console.log(`## ${report.title}\n\n${body}\n`);
  if (!noDoc) appendToDoc(report.title, body);
  if (report.results.some((r) => !r.pass)) failed = true;
}
process.exitCode = failed ? 1 : 0;
