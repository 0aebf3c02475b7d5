#!/usr/bin/env node
// Emits src/runtime.ts as dist/runtime.mjs: the ES module the sandbox loads as '@marathon/plugin-api'.
// The library itself is CommonJS; this one file is also shipped as an ES module, types erased,
// and refused if erasing types left any import behind (the sandbox has nothing to import from).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const { transpileRuntime, findImports } = require('./transpile-runtime.cjs');

const root = path.join(__dirname, '..');
const source = fs.readFileSync(path.join(root, 'src', 'runtime.ts'), 'utf8');
const output = transpileRuntime(ts, source);
const imports = findImports(output);
if (imports.length > 0) {
  console.error(`src/runtime.ts must stay self-contained, but its output imports: ${imports.join(', ')}`);
  process.exit(1);
}
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
fs.writeFileSync(path.join(root, 'dist', 'runtime.mjs'), output);
