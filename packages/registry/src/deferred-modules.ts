// pacote requires, as it loads, modules for features Marathon never asks of it: sigstore (registry
// signature and provenance checks, off unless asked), @npmcli/git (git specs), npm-packlist and
// @npmcli/run-script (packing a folder). Together they are a third of the modules pacote pulls in
// and ~100 ms of every npm command's start on Node 20, which keeps no compile cache. Each is put in
// require's cache as a stand-in that loads the real module on first use, so nothing changes for a
// caller that does need one — it only pays then.
import Module from 'node:module';
import { dirname } from 'node:path';

type Loaded = Record<PropertyKey, unknown> & ((...args: unknown[]) => unknown);

/**
 * Registers stand-ins for `names`, resolved the way a module in `fromDir` resolves them. A name
 * that does not resolve, or is already loaded, is left alone.
 */
export function deferModules(names: readonly string[], fromDir: string): void {
  const cache = require.cache;
  for (const name of names) {
    let file: string;
    try {
      file = require.resolve(name, { paths: [fromDir] });
    } catch {
      continue;
    }
    if (cache[file] !== undefined) continue;
    const standIn = new Module(file);
    standIn.filename = file;
    standIn.paths = [dirname(file)];
    standIn.loaded = true;
    let real: Loaded | undefined;
    const load = (): Loaded => {
      if (real === undefined) {
        if (cache[file] === standIn) delete cache[file];
        real = require(file) as Loaded;
      }
      return real;
    };
    // A function target lets the stand-in be called or constructed, as npm-packlist and run-script are.
    standIn.exports = new Proxy(function deferred() {} as unknown as Loaded, {
      get: (_target, key) => load()[key],
      has: (_target, key) => key in load(),
      apply: (_target, self, args: unknown[]) => Reflect.apply(load(), self, args),
      construct: (_target, args: unknown[]) => Reflect.construct(load(), args) as object,
    });
    cache[file] = standIn;
  }
}
