import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPluginFiles, scanPlugin, scanSource } from '@marathon/security';

function rules(source: string): string[] {
  return scanSource('index.js', source).map((finding) => `${finding.rule}@${finding.line}:${finding.column}`);
}

const LONG = 'QUFB'.repeat(600);

// Each rule: code that must be reported (with the exact location) and code that must not.
const cases: Array<[rule: string, positive: string, location: string, negative: string]> = [
  ['eval', 'const x = 1;\neval("1+1");', '2:1', 'const evaluate = (x) => x;\nevaluate("1+1");'],
  ['eval', 'const f = (0, eval);\n(0, eval)("x");', '2:1', 'const o = { eval: 1 };\no.eval;'],
  ['eval', 'globalThis.eval("x");', '1:1', 'const eval2 = 1; eval2;'],
  ['dynamic-global-access', "globalThis['ev' + 'al']('x');", '1:1', "globalThis['JSON'];"],
  ['function-constructor', 'new Function("return 1")();', '1:1', 'function F() {}\nnew F();'],
  ['function-constructor', 'Function("return this")();', '1:1', 'const f = () => 1; f();'],
  ['function-constructor', 'const F = x.constructor.constructor;', '1:11', 'const c = x.constructor;'],
  ['function-constructor', 'globalThis.Function;', '1:1', 'const o = { Function: 1 };'],
  ['dynamic-import', 'const name = "fs";\nimport(name);', '2:1', "import('./lib/util.js');"],
  ['forbidden-import', "import('node:fs');", '1:1', "import('@marathon/plugin-api');"],
  ['forbidden-import', "import fs from 'fs';", '1:1', "import { success } from '@marathon/plugin-api';\nimport { x } from '../shared.js';"],
  ['require', "const fs = require('fs');", '1:12', 'const requireX = (x) => x;\nrequireX(1);'],
  ['process', 'const env = process.env;', '1:13', 'const o = { process: 1 };\no.process;\nfunction f(process) { return process; }'],
  ['process', 'globalThis.process.exit();', '1:1', 'const p = { exit() {} };\np.exit();'],
  ['prototype-mutation', 'Object.prototype.polluted = true;', '1:1', 'class A {}\nA.prototype.x = 1;'],
  ['prototype-mutation', 'obj.__proto__ = evil;', '1:1', 'obj.proto = good;'],
  ['prototype-mutation', 'Object.setPrototypeOf(a, b);', '1:1', 'Object.freeze(a);'],
  ['webassembly', 'WebAssembly.instantiate(bytes);', '1:1', 'const o = { WebAssembly: 1 };'],
  ['obfuscated-string', `const blob = "${LONG}";`, '1:14', `const prose = "${'word '.repeat(500)}";`],
  ['obfuscated-string', `const blob = \`${LONG}\`;`, '1:14', 'const t = `short ${1}`;'],
];

describe.each(cases)('%s', (rule, positive, location, negative) => {
  it(`reports ${JSON.stringify(positive.slice(0, 40))} at ${location}`, () => {
    expect(rules(positive)).toContain(`${rule}@${location}`);
  });
  it(`does not report ${JSON.stringify(negative.slice(0, 40))}`, () => {
    expect(rules(negative).filter((found) => found.startsWith(`${rule}@`))).toEqual([]);
  });
});

it('reports with statements in scripts', () => {
  expect(scanSource('legacy.cjs', 'var o = {};\nwith (o) { x = 1; }')).toEqual([
    {
      file: 'legacy.cjs',
      line: 2,
      column: 1,
      rule: 'with-statement',
      severity: 'medium',
      reason: 'uses with, which hides what names refer to',
    },
  ]);
  expect(scanSource('legacy.cjs', 'var o = {}; o.x = 1;')).toEqual([]);
});

it('reports with statements in modules as code that does not parse', () => {
  // Modules are strict, where `with` is a syntax error: the scanner reports that the file does not parse.
  expect(scanSource('old.js', 'with (obj) { x = 1; }')).toEqual([
    { file: 'old.js', line: 1, column: 1, rule: 'parse-error', severity: 'high', reason: "the file does not parse: 'with' in strict mode" },
  ]);
});

it('reports a file that does not parse, with where', () => {
  expect(scanSource('broken.js', 'const a = 1;\nconst b = ;\n')).toEqual([
    { file: 'broken.js', line: 2, column: 11, rule: 'parse-error', severity: 'high', reason: 'the file does not parse: Unexpected token' },
  ]);
});

it('finds nothing in a well-behaved plugin', () => {
  const source = `import { definePlugin, success } from '@marathon/plugin-api';
import { greeting } from './lib/greeting.js';
export default definePlugin({
  hooks: { post_task_execute: async (ctx, event) => success(\`task \${event.task.id}\`) },
  commands: { greet: (ctx, args) => greeting(args[0]), env: (ctx) => ctx.env.get('TOKEN') },
});`;
  expect(scanSource('index.js', source)).toEqual([]);
});

it('gives each finding a severity and a one-line reason', () => {
  const [finding] = scanSource('index.js', "const fs = require('fs');");
  expect(finding).toEqual({
    file: 'index.js',
    line: 1,
    column: 12,
    rule: 'require',
    severity: 'high',
    reason: 'calls require; plugins are ES modules that import only their own files and @marathon/plugin-api',
  });
});

it('scans every JavaScript file of a folder and no other', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marathon-scan-'));
  try {
    writeFileSync(join(dir, 'index.mjs'), 'eval("x");');
    writeFileSync(join(dir, 'util.cjs'), 'module.exports = require("fs");');
    writeFileSync(join(dir, 'README.md'), 'eval("this is prose")');
    const { files } = await listPluginFiles(dir);
    const findings = await scanPlugin(dir, files);
    expect(findings.map((f) => `${f.file}:${f.rule}`)).toEqual(['index.mjs:eval', 'util.cjs:require']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
