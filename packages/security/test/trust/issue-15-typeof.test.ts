// Issue 15 (10): bundled code tests `typeof process !== "undefined"` to tell Node from a browser.
// A typeof of a bare name reads nothing through it, so the scanner allows it; anything that reads a
// property of the forbidden global (`typeof process.env`), or passes it on, is still refused.
import { scanSource } from '@marathon/security';

const found = (source: string): string[] =>
  scanSource('index.js', source).map((finding) => `${finding.rule}@${finding.line}:${finding.column}`);

test.each([
  ['typeof process !== "undefined"', 'const isNode = typeof process !== "undefined";'],
  ['typeof WebAssembly', 'const wasm = typeof WebAssembly === "object";'],
  ['typeof eval', 'const hasEval = typeof eval === "function";'],
  ['typeof Function', 'const hasFunction = typeof Function;'],
  ['typeof globalThis', 'const g = typeof globalThis !== "undefined" ? 1 : 2;'],
  ['an esbuild-style guard', 'var env = typeof process === "undefined" ? "browser" : "node";\nexport { env };'],
])('allows %s', (_name, source) => {
  expect(found(source)).toEqual([]);
});

test.each([
  ['typeof process.env', 'const t = typeof process.env;', 'process@1:18'],
  ['typeof process.env.HOME', 'const t = typeof process.env.HOME;', 'process@1:18'],
  ['typeof (0, process)', 'const t = typeof (0, process);', 'process@1:22'],
  ['typeof globalThis.process', 'const t = typeof globalThis.process;', 'process@1:18'],
  ['a guard, then the use', 'const p = typeof process !== "undefined" ? process : undefined;', 'process@1:44'],
  ['a guard, then a call', 'typeof process === "object" && process.exit(1);', 'process@1:32'],
  ['typeof WebAssembly.compile', 'const t = typeof WebAssembly.compile;', 'webassembly@1:18'],
  ['eval as a value after typeof', 'const e = typeof eval === "function" ? eval : null;', 'eval@1:40'],
])('still refuses %s', (_name, source, finding) => {
  expect(found(source)).toContain(finding);
});

test("a shadowed process is the plugin's own, typeof or not", () => {
  expect(found('function f(process) { return typeof process === "object" && process.env; }')).toEqual([]);
});
