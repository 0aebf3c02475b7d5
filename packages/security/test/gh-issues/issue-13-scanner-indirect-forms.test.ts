// Issue 13, part 7: the install scanner refused `globalThis[k]`, `Function(…)`, `eval(…)` and
// `Object.prototype.x = …`, but said nothing about the same things reached another way: through a
// variable holding the global object, any function's .constructor, Reflect.get/apply/construct, or
// a prototype reached with Object.getPrototypeOf. Each indirect form must now give the finding (rule
// and severity) its direct form gives, and ordinary code must stay clean.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanSource } from '@marathon/security';
import { hostileDir, loadPlugin, useHelloHost } from '../sandbox-helpers';

function found(source: string): string[] {
  return scanSource('index.js', source).map((finding) => `${finding.rule}/${finding.severity}`);
}

const equivalents: Array<[what: string, direct: string, indirect: string[]]> = [
  [
    'a computed name on the global object',
    "globalThis[k]('x');",
    [
      "const g = globalThis;\ng[k]('x');",
      'const g = self;\nconst h = g;\nh[k];',
      "let g;\ng = typeof globalThis !== 'undefined' ? globalThis : window;\ng[k];",
      'const g = globalThis.globalThis;\ng[k];',
      'function f(g = globalThis) { return g[k]; }',
      '(function (g) { return g[k]; })(globalThis);',
      "function pick(o, name) { return o[name]; }\npick(globalThis, 'ev' + 'al');",
      'const f = function (a, g) { return g[k]; };\nf.call(null, 1, globalThis);',
      'let f = (g) => 1;\nf = (g) => g[k];\nf(globalThis);',
      'function f() { return arguments[0][k]; }\nf(globalThis);',
      'Reflect.get(globalThis, k);',
      'Object.getOwnPropertyDescriptor(globalThis, k);',
      'const { [k]: v } = globalThis;',
      'const { ...all } = globalThis;',
      'const o = { g: globalThis };',
      'export const getGlobal = () => globalThis;',
      'for (const name in globalThis) {}',
      'Object.getOwnPropertyNames(globalThis);',
    ],
  ],
  [
    'the Function constructor',
    "Function('return this')();",
    [
      "(() => {}).constructor('return this')();",
      '(function () {}).constructor;',
      '(async () => {}).constructor;',
      '(function* () {}).constructor;',
      '(async function* () {}).constructor;',
      '(class {}).constructor;',
      "(() => {})['constructor'];",
      '(() => {})[`constructor`];',
      '(() => {})[name];',
      'const f = () => 1;\nf.constructor;',
      'function f() {}\nf.constructor;',
      'Object.getPrototypeOf(async function () {}).constructor;',
      'Function.prototype.constructor;',
      "Reflect.get(() => {}, 'constructor');",
      "Reflect.get(Reflect.get(x, 'constructor'), 'constructor');",
      "Reflect.construct(Function, ['return this']);",
      "Reflect.apply(Function, null, ['return this']);",
      "Reflect.get(globalThis, 'Function');",
      'const { Function: F } = globalThis;',
      'const F = Function;',
      "Function.call(null, 'return this');",
      "(0, Function)('return this');",
    ],
  ],
  [
    'eval',
    "eval('x');",
    [
      "Reflect.get(globalThis, 'eval')('x');",
      "const g = globalThis;\nReflect.get(g, 'eval');",
      "Reflect.apply(eval, null, ['x']);",
      'const e = eval;',
      'const e = globalThis.eval;',
      'const { eval: e } = globalThis;',
      "Object.getOwnPropertyDescriptor(globalThis, 'eval').value('x');",
    ],
  ],
  ['process', 'process.env;', ["Reflect.get(globalThis, 'process');", 'const { process: p } = globalThis;', 'const g = self;\ng.process;']],
  [
    'changing a shared prototype',
    'Object.prototype.polluted = true;',
    [
      'Object.getPrototypeOf(x).polluted = true;',
      "Object.getPrototypeOf({}).toJSON = () => 'x';",
      'Reflect.getPrototypeOf(x).polluted = true;',
      'x.__proto__.polluted = true;',
      'x.constructor.prototype.polluted = true;',
      'const p = Object.getPrototypeOf({});\np.toJSON = f;',
      "Object.defineProperty(Object.getPrototypeOf(x), 'polluted', {});",
      "Reflect.set(Object.getPrototypeOf(x), 'polluted', true);",
      "Reflect.defineProperty(Object.getPrototypeOf(x), 'polluted', {});",
      'Object.assign(Object.getPrototypeOf(x), { polluted: true });',
      'delete Object.getPrototypeOf(x).toString;',
      'Object.getPrototypeOf(x).count++;',
      'Reflect.setPrototypeOf(a, b);',
    ],
  ],
];

describe.each(equivalents)('issue 13: %s is refused however it is reached', (_what, direct, indirect) => {
  const [expected] = found(direct);
  it(`the direct form ${JSON.stringify(direct)} has a finding`, () => {
    expect(expected).toBeDefined();
  });
  it.each(indirect)('%j', (source) => {
    expect(found(source)).toContain(expected);
  });
});

it('issue 13: reports the indirect form where it is, with a reason that names the route', () => {
  expect(scanSource('index.js', "const ok = 1;\nconst g = globalThis;\nReflect.get(g, 'eval')('x');")).toEqual([
    {
      file: 'index.js',
      line: 3,
      column: 1,
      rule: 'eval',
      severity: 'high',
      reason: 'reaches eval through g (with Reflect.get), which runs text as code',
    },
  ]);
  expect(scanSource('index.js', "x = 1;\n(async () => {}).constructor('code');")).toEqual([
    {
      file: 'index.js',
      line: 2,
      column: 1,
      rule: 'function-constructor',
      severity: 'high',
      reason: "reaches the Function constructor through a function's .constructor",
    },
  ]);
  expect(scanSource('index.js', 'Object.getPrototypeOf(x).y = 1;')).toEqual([
    {
      file: 'index.js',
      line: 1,
      column: 1,
      rule: 'prototype-mutation',
      severity: 'medium',
      reason: 'changes a property of a prototype, which every object inheriting from it sees',
    },
  ]);
});

it('issue 13: one place that both reaches and changes a prototype is one finding', () => {
  expect(found('Object.prototype.polluted = true;')).toEqual(['prototype-mutation/medium']);
  expect(found("Object.getPrototypeOf({}).toJSON = () => 'x';")).toEqual(['prototype-mutation/medium']);
});

it.each([
  ['a computed name on an ordinary object', 'const o = {};\nfor (const k of keys) o[k] = 1;\nconst v = o[key];'],
  ['a computed name on a class', 'class Colors { static red = 1; }\nColors[name];'],
  ['a global that is only tested', "if (typeof globalThis === 'object' && globalThis !== undefined) {}"],
  ['named globals', "const { JSON: J } = globalThis;\nglobalThis.JSON.parse('1');\nglobalThis.answer = 42;"],
  ['a test for a name', "Object.hasOwn(globalThis, 'fetch');\nReflect.has(globalThis, 'fetch');"],
  ['the global object handed to a function that only names what it takes', '(function (root) { root.answer = 42; })(globalThis);'],
  [
    'a one-letter name reused in other functions (minified code)',
    'function a(t) { t = globalThis; return t.JSON; }\nfunction b(t) { return t[k]; }',
  ],
  ['a parameter named like a global', 'function f(globalThis) { return globalThis[k]; }'],
  ['type checks against Function', 'x instanceof Function;\ntypeof x === "function";'],
  ['reading an own prototype', 'const proto = Object.getPrototypeOf(this);\nproto.method.call(this);'],
  ['constructors of ordinary objects', 'obj.constructor === Object;\nthis.constructor.name;'],
  ['a class prototype of the plugin', 'class A {}\nA.prototype.x = 1;'],
])('issue 13: does not flag %s', (_what, source) => {
  expect(scanSource('index.js', source)).toEqual([]);
});

it('issue 13: a name bound in one function no longer hides the global of that name in the rest of the file', () => {
  // The scanner used to treat a name declared anywhere (here a parameter) as declared everywhere.
  expect(found('function f(process) { return process; }\nconst env = process.env;')).toEqual(['process/high']);
  expect(found("function f(Function) { return Function; }\nFunction('return this')();")).toEqual(['function-constructor/high']);
  expect(found('function f(globalThis) { return 1; }\nglobalThis[k];')).toEqual(['dynamic-global-access/high']);
});

describe('issue 13: code-indirect-constructor, a plugin trying the indirect routes', () => {
  const { host, hello, home } = useHelloHost();

  it('is refused at install for every route it tries', () => {
    const source = readFileSync(join(hostileDir, 'code-indirect-constructor', 'index.js'), 'utf8');
    const lines = source.split('\n');
    const high = scanSource('index.js', source).filter((finding) => finding.severity === 'high');
    const probeLines = lines.flatMap((line, index) => (line.trimStart().startsWith('() =>') ? [index + 1] : []));
    expect(probeLines).toHaveLength(5);
    for (const line of probeLines) expect(high.filter((finding) => finding.line === line)).not.toEqual([]);
  });

  it('finds nothing of the host in the engine, and hello still answers', async () => {
    const plugin = await loadPlugin(host(), join(hostileDir, 'code-indirect-constructor'), home.home);
    const result = await plugin.runCommand('attack', []);
    expect(result).toEqual({ ok: true, output: JSON.stringify(['undefined', 'Promise', 'undefined', 'undefined', 'undefined']) });
    expect(await hello().runCommand('hello', [])).toEqual({ ok: true, output: 'Hello, World!' });
  });
});
