'use strict';
// Shared by the build (emit-sandbox-runtime.cjs) and the test that pins the sandbox runtime's shape.
const fs = require('node:fs');
const path = require('node:path');

/**
 * The source files whose values make up the package's runtime: each must stay self-contained (only
 * type imports), so that together they are the module the sandbox loads as '@marathon/plugin-api'.
 */
const RUNTIME_SOURCES = ['runtime.ts', 'chain-rules.ts', 'hook-priority.ts', 'hook-result.ts', 'marathon-error.ts'];

/** The runtime sources, one after the other, as one TypeScript text. */
function readRuntimeSource(packageRoot) {
  return RUNTIME_SOURCES.map((file) => fs.readFileSync(path.join(packageRoot, 'src', file), 'utf8')).join('\n');
}

/** Erases types from the runtime sources, keeping them an ES module. */
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

module.exports = { RUNTIME_SOURCES, readRuntimeSource, transpileRuntime, findImports };
