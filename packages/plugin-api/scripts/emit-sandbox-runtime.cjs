#!/usr/bin/env node
// Emits the runtime sources (src/runtime.ts and its self-contained siblings) as dist/runtime.mjs: the ES module the sandbox loads as '@marathon/plugin-api'.
// The library itself is CommonJS; this one file is also shipped as an ES module, types erased,
// and refused if erasing types left any import behind (the sandbox has nothing to import from).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const { RUNTIME_SOURCES, readRuntimeSource, transpileRuntime, findImports } = require('./transpile-runtime.cjs');

const root = path.join(__dirname, '..');
const source = readRuntimeSource(root);
const output = transpileRuntime(ts, source);
const imports = findImports(output);
if (imports.length > 0) {
  console.error(`${RUNTIME_SOURCES.join(', ')} must stay self-contained, but their output imports: ${imports.join(', ')}`);
  process.exit(1);
}
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
fs.writeFileSync(path.join(root, 'dist', 'runtime.mjs'), output);
// Its types: the same declarations as the CommonJS runtime module's, as an ES module's, so that
// `import('@marathon/plugin-api/runtime.mjs')` is typed (arethetypeswrong checks the tarball).
fs.writeFileSync(path.join(root, 'dist', 'runtime.d.mts'), "export * from './runtime.js';\n");
