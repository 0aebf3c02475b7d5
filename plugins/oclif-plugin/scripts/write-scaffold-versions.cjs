#!/usr/bin/env node
// Writes dist/scaffold/scaffold-versions.json: the version ranges `marathon plugin new` puts in a
// generated project's package.json. Read here, at build time, from this repository's package.json
// files, so that the published package needs none of those packages at run time (it used to depend
// on @marathon/plugin-testing only to read its version). The nx build target lists these files as
// inputs, so a version bump rebuilds.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..', '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const caretOf = (file) => `^${readJson(file).version}`;
// The TypeScript and esbuild the generated project builds with: the ones this repository is built
// and tested with (the docs test installs a scaffold with exactly these).
const tools = readJson('package.json').devDependencies;

const versions = {
  pluginApi: caretOf('packages/plugin-api/package.json'),
  pluginTesting: caretOf('packages/plugin-testing/package.json'),
  manifest: caretOf('packages/manifest/package.json'),
  typescript: tools.typescript,
  esbuild: tools.esbuild,
};
for (const [key, range] of Object.entries(versions)) {
  if (typeof range !== 'string' || range === '') throw new Error(`write-scaffold-versions: no version for ${key}`);
}
const target = path.join(__dirname, '..', 'dist', 'scaffold', 'scaffold-versions.json');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, `${JSON.stringify(versions, null, 2)}\n`);
