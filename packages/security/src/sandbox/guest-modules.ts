// The guest modules (guest/*.ts, compiled with the package to CommonJS in dist/sandbox/guest/),
// handed to an engine one at a time when its prelude asks for one (`hostLoad`), wrapped as a
// function of (exports, require). The prelude itself is one of them, evaluated by the engine at
// start. Compiling them all into every engine at load would cost milliseconds per plugin; most
// plugins use few of them, or none. For the same reason a worker reads at start only the folder's
// listing and the two modules every engine runs (the prelude and `install`); any other is read the
// first time an engine asks for it, then kept for the worker's other engines.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The guest module the engine runs before plugin code (guest/prelude.ts); no guest may load it. */
export const PRELUDE_MODULE = 'prelude';

/** The guest modules every engine evaluates at start. */
const STARTUP_MODULES = [PRELUDE_MODULE, 'install'];

/** The compiled guest modules of a worker, by file name without `.js`. */
export interface GuestModuleSources {
  /** The module's text as a function expression of (exports, require); undefined when there is no such module. */
  get(name: string): string | undefined;
}

/** The compiled guest modules in `dir`: only names the folder lists are ever read. */
export function readGuestModules(dir: string = join(__dirname, 'guest')): GuestModuleSources {
  const names = new Set(
    readdirSync(dir)
      .filter((file) => file.endsWith('.js'))
      .map((file) => file.slice(0, -'.js'.length)),
  );
  if (!STARTUP_MODULES.every((name) => names.has(name)))
    throw new Error(`the sandbox's guest modules are missing from ${dir}: build @marathon/security`);
  const sources = new Map<string, string>();
  const get = (name: string): string | undefined => {
    if (!names.has(name)) return undefined;
    let source = sources.get(name);
    if (source === undefined) {
      const text = readFileSync(join(dir, `${name}.js`), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
      source = `(function (exports, require) {${text}\n})`;
      sources.set(name, source);
    }
    return source;
  };
  for (const name of STARTUP_MODULES) get(name);
  return { get };
}
