'use strict';
// Shared by the build (emit-sandbox-runtime.cjs) and the test that pins the sandbox runtime's shape.

/** Erases types from runtime.ts, keeping it an ES module. */
function transpileRuntime(ts, source) {
  return ts.transpileModule(source, {
    fileName: 'runtime.ts',
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      verbatimModuleSyntax: false,
      removeComments: false,
      sourceMap: false,
    },
  }).outputText;
}

/** Module specifiers the emitted code still loads, statically, dynamically or through require. */
function findImports(code) {
  const found = [];
  const patterns = [
    /^\s*import\s[^;]*?from\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /^\s*export\s[^;]*?from\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]?([^'")]+)/g,
    /\brequire\s*\(\s*['"]?([^'")]+)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

module.exports = { transpileRuntime, findImports };
