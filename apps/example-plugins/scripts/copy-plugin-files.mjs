#!/usr/bin/env node
// Completes each built example plugin: tsc wrote plugins/<name>/index.js; plugin.json and the
// README come from examples/<name>/, and a package.json (name, version, keywords, the `marathon`
// field) makes the folder an npm package that `npm publish` accepts as is. The built folder is
// what gets installed — no TypeScript in it: the install policy does not accept .ts files.
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifest } from '@marathon/manifest';
import { pluginPackageJson } from '@marathon/registry';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Folders only: examples/ also holds the tsconfig.json editors and ESLint use.
const names = readdirSync(join(root, 'examples'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
for (const { name } of names) {
  const built = join(root, 'plugins', name);
  for (const file of ['plugin.json', 'README.md']) {
    const from = join(root, 'examples', name, file);
    if (existsSync(from)) copyFileSync(from, join(built, file));
  }
  const manifest = await readManifest(built);
  const pkg = pluginPackageJson(manifest, { license: 'MIT', author: manifest.author?.name ?? 'Marathon examples' });
  writeFileSync(join(built, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}
