#!/usr/bin/env node
// Completes each built example plugin: tsc wrote plugins/<name>/index.js; plugin.json and the
// README come from examples/<name>/. The built folder is what gets installed (no TypeScript in it:
// the install policy does not accept .ts files).
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const name of readdirSync(join(root, 'examples'))) {
  for (const file of ['plugin.json', 'README.md']) {
    const from = join(root, 'examples', name, file);
    if (existsSync(from)) copyFileSync(from, join(root, 'plugins', name, file));
  }
}
