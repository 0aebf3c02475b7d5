// deferModules works on Node's own require cache, which jest replaces with its module registry, so
// each case runs the transpiled module in a child Node process against throwaway packages.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-deferred-'));
  const source = readFileSync(join(__dirname, '..', 'src', 'deferred-modules.ts'), 'utf8');
  const cjs = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  writeFileSync(join(root, 'deferred-modules.js'), cjs);
  const pkg = (name: string, body: string) => {
    mkdirSync(join(root, 'node_modules', name), { recursive: true });
    writeFileSync(
      join(root, 'node_modules', name, 'index.js'),
      `globalThis.loads = (globalThis.loads ?? []).concat(${JSON.stringify(name)});\n${body}`,
    );
  };
  pkg('heavy-object', 'exports.verify = (x) => `verified ${x}`; exports.kind = "object";');
  pkg('heavy-function', 'module.exports = function packlist(a, b) { return a + b; };');
  pkg('heavy-class', 'module.exports = class Fetcher { constructor(spec) { this.spec = spec; } };');
  // A user of the deferred modules, as pacote is: requires them all when it loads.
  pkg(
    'consumer',
    'exports.object = require("heavy-object"); exports.fn = require("heavy-function"); exports.Klass = require("heavy-class");',
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(script: string): unknown {
  const child = spawnSync(process.execPath, ['-e', `const { deferModules } = require('./deferred-modules.js');\n${script}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout);
}

describe('deferModules', () => {
  it('loads nothing until a deferred module is used', () => {
    const out = run(`
      deferModules(['heavy-object', 'heavy-function', 'heavy-class'], process.cwd());
      require('consumer');
      console.log(JSON.stringify(globalThis.loads));`);
    expect(out).toEqual(['consumer']);
  });

  it('loads the real module on first use: property, call and construct all behave as the real one', () => {
    const out = run(`
      deferModules(['heavy-object', 'heavy-function', 'heavy-class'], process.cwd());
      const c = require('consumer');
      const results = [c.object.verify('bundle'), c.fn(2, 3), new c.Klass('x@1').spec, 'verify' in c.object];
      // Later requires get the real module itself, loaded once.
      const again = require('heavy-object');
      console.log(JSON.stringify({ results, loads: globalThis.loads, realAfter: again.kind }));`);
    expect(out).toEqual({
      results: ['verified bundle', 5, 'x@1', true],
      loads: ['consumer', 'heavy-object', 'heavy-function', 'heavy-class'],
      realAfter: 'object',
    });
  });

  it('leaves alone names that do not resolve and modules already loaded', () => {
    const out = run(`
      const before = require('heavy-object');
      deferModules(['heavy-object', 'no-such-package'], process.cwd());
      console.log(JSON.stringify({ same: require('heavy-object') === before, loads: globalThis.loads }));`);
    expect(out).toEqual({ same: true, loads: ['heavy-object'] });
  });
});
