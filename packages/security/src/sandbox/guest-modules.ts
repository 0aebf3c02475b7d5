// The guest modules (guest/*.ts, compiled with the package to CommonJS in dist/sandbox/guest/):
// read once per worker, and handed to an engine one at a time when its prelude asks for one
// (`hostLoad`), wrapped as a function of (exports, require). The prelude itself is one of them,
// evaluated by the engine at start. Compiling them all into every engine
// at load would cost milliseconds per plugin; most plugins use few of them, or none.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The guest module the engine runs before plugin code (guest/prelude.ts); no guest may load it. */
export const PRELUDE_MODULE = 'prelude';

/** The compiled guest modules in `dir`, by file name without `.js`, each as the text of a function expression. */
export function readGuestModules(dir: string = join(__dirname, 'guest')): ReadonlyMap<string, string> {
  const modules = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.js')) continue;
    const source = readFileSync(join(dir, file), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
    modules.set(file.slice(0, -'.js'.length), `(function (exports, require) {${source}\n})`);
  }
  if (!modules.has('install') || !modules.has(PRELUDE_MODULE)) throw new Error(`the sandbox's guest modules are missing from ${dir}: build @marathon/security`);
  return modules;
}
