#!/usr/bin/env node
// Removes what the compiler emitted for sources that no longer exist. `tsc -b` never deletes the
// outputs of a renamed or deleted source, and Nx caches the whole dist folder, so a stale file
// outlives the source by weeks: it ships in `npm pack` and its source map points at nothing.
//
// Usage, in a package's build script after tsc: node ../../scripts/prune-stale-outputs.mjs tsconfig.lib.json
// Reads rootDir and outDir from that tsconfig (not its base); deletes each .js, .js.map, .d.ts and
// .d.ts.map under outDir whose source (.ts, .tsx, .mts, .cts or a hand-written .d.ts) is not under
// rootDir. Other files in outDir (generated schemas, copied assets) are left alone.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const OUTPUT = /^(.*?)(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts'];

/** The outputs under `outDir` with no source under `rootDir`; relative to outDir. */
export function staleOutputs(rootDir, outDir) {
  const stale = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const match = OUTPUT.exec(entry.name);
        if (match === null) continue;
        const stem = join(rootDir, relative(outDir, folder), match[1]);
        if (!SOURCE_EXTENSIONS.some((extension) => existsSync(stem + extension))) stale.push(relative(outDir, path));
      }
    }
  };
  if (existsSync(outDir)) walk(outDir);
  return stale.sort();
}

function main(tsconfigPath) {
  if (tsconfigPath === undefined) {
    console.error('usage: prune-stale-outputs.mjs <tsconfig.json>');
    process.exit(2);
  }
  const config = JSON.parse(readFileSync(tsconfigPath, 'utf8'));
  const { rootDir, outDir } = config.compilerOptions ?? {};
  if (typeof rootDir !== 'string' || typeof outDir !== 'string') {
    console.error(`prune-stale-outputs: ${tsconfigPath} must set compilerOptions.rootDir and outDir`);
    process.exit(2);
  }
  const base = dirname(resolve(tsconfigPath));
  const out = resolve(base, outDir);
  for (const file of staleOutputs(resolve(base, rootDir), out)) {
    rmSync(join(out, file));
    console.log(`prune-stale-outputs: removed ${relative(process.cwd(), join(out, file))} (its source is gone)`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv[2]);
