// pacote requires, as it loads, modules for features Marathon never asks of it: sigstore (registry
// signature and provenance checks, off unless asked), @npmcli/git (git specs), npm-packlist and
// @npmcli/run-script (packing a folder). Together they are a third of the modules pacote pulls in
// and ~100 ms of every npm command's start on Node 20, which keeps no compile cache. Each is put in
// require's cache as a stand-in that loads the real module on first use, so nothing changes for a
// caller that does need one — it only pays then.
//
// Some of them must never run at all: blockModules() puts in stand-ins that throw when used, so
// that no code path — a future one included — can make pacote clone a git repository or run a
// package's scripts inside Marathon.
import Module from 'node:module';
import { dirname } from 'node:path';

type Loaded = Record<PropertyKey, unknown> & ((...args: unknown[]) => unknown);

/** Resolves `name` as a module in `fromDir` would, or undefined when it does not resolve. */
function resolveFrom(name: string, fromDir: string): string | undefined {
  try {
    return require.resolve(name, { paths: [fromDir] });
  } catch {
    return undefined;
  }
}

function standInModule(file: string, exports: unknown): Module {
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.paths = [dirname(file)];
  standIn.loaded = true;
  standIn.exports = exports;
  return standIn;
}

/**
 * Registers stand-ins for `names` (resolved from `fromDir`) that throw `refusal()` on any use:
 * a property read, a call, `new`. Requiring one still works, so a module that only requires it as
 * it loads (pacote's git and folder fetchers) loads fine. A name already loaded is left alone.
 */
export function blockModules(names: readonly string[], fromDir: string, refusal: (name: string) => Error): void {
  const cache = require.cache;
  for (const name of names) {
    const file = resolveFrom(name, fromDir);
    if (file === undefined || cache[file] !== undefined) continue;
    const refuse = (): never => {
      throw refusal(name);
    };
    const exports = new Proxy(function blocked() {} as unknown as Loaded, {
      // Interop helpers probe `__esModule` and symbols as they load a module: not a use.
      get: (_target, key) => (typeof key === 'symbol' || key === '__esModule' ? undefined : refuse()),
      has: () => refuse(),
      apply: () => refuse(),
      construct: () => refuse(),
    });
    cache[file] = standInModule(file, exports);
  }
}

/**
 * Registers stand-ins for `names`, resolved the way a module in `fromDir` resolves them. A name
 * that does not resolve, or is already loaded, is left alone.
 */
export function deferModules(names: readonly string[], fromDir: string): void {
  const cache = require.cache;
  for (const name of names) {
    const file = resolveFrom(name, fromDir);
    if (file === undefined || cache[file] !== undefined) continue;
    let real: Loaded | undefined;
    const load = (): Loaded => {
      if (real === undefined) {
        if (cache[file] === standIn) delete cache[file];
        real = require(file) as Loaded;
      }
      return real;
    };
    // A function target lets the stand-in be called or constructed, as npm-packlist and run-script are.
    const standIn = standInModule(
      file,
      new Proxy(function deferred() {} as unknown as Loaded, {
        get: (_target, key) => load()[key],
        has: (_target, key) => key in load(),
        apply: (_target, self, args: unknown[]) => Reflect.apply(load(), self, args),
        construct: (_target, args: unknown[]) => Reflect.construct(load(), args) as object,
      }),
    );
    cache[file] = standIn;
  }
}
