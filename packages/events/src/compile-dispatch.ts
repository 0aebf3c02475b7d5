// The fast path of dispatch, generated per handler list like tapable's hooks: straight-line code
// with a call site per handler, which V8 can inline, instead of a loop whose one call site sees
// every handler. It is a fall-through `switch`, so that the same code starts a dispatch (from 0)
// and resumes one after an async handler (from the next index). It only handles "the handler
// returned nothing"; anything else (a result, a throw, a promise, an unregistered entry) goes to
// the Dispatcher, which owns the semantics. The generated text is pinned by a snapshot test.
import type { Outcome } from './dispatch-outcome';
import type { AsyncRun, Dispatcher, HandlerList } from './dispatcher';
import { isThenable, Thrown } from './handler-result';

/**
 * Runs a list's handlers from `from` on. Returns the outcome when it ran to the end synchronously,
 * a promise of it when a handler went async and no AsyncRun existed yet, and undefined when it
 * handed over to an existing AsyncRun.
 */
export type CompiledRun = (
  outcome: Outcome<unknown>,
  from: number,
  run: AsyncRun<unknown> | undefined,
) => Outcome<unknown> | Promise<Outcome<unknown>> | undefined;

/** Lists longer than this use the Dispatcher's loop: a straight line that long gains nothing. */
export const MAX_COMPILED_HANDLERS = 64;

/** The body of the generated factory for `count` handlers. */
export function dispatchSource(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`var e${i} = entries[${i}], f${i} = e${i}.handler, n${i} = e${i}.info, p${i} = e${i}.implicit;`);
  // d: the data handlers get (changes only through settle); own: the outcome has its own results
  // array (true after any settle or skip), so implicit results must be pushed to it.
  lines.push('return function run(o, from, async) {', '  var d = o.data, own = o.results !== implicit, r;', '  switch (from) {');
  for (let i = 0; i < count; i++) {
    lines.push(
      `    case ${i}:`,
      `      if (e${i}.active) {`,
      `        try { r = f${i}(d, n${i}); } catch (error) { r = new Thrown(error); }`,
      `        if (r === undefined) { if (own) o.results.push(p${i}); }`,
      `        else if (isThenable(r)) return dispatcher.suspend(list, ${i}, r, 0, o, async, run);`,
      `        else if (dispatcher.settle(list, ${i}, r, 0, 0, o)) return dispatcher.done(o, async);`,
      `        else { d = o.data; own = true; }`,
      `      } else { dispatcher.skip(list, ${i}, o); own = true; }`,
    );
  }
  lines.push('  }', '  if (async !== undefined) async.finish();', '  return o;', '};');
  return lines.join('\n');
}

/** The fast path for a list, used while history and metrics are off; undefined for very long lists. */
export function compileRun(list: HandlerList, dispatcher: Dispatcher): CompiledRun | undefined {
  if (list.entries.length > MAX_COMPILED_HANDLERS) return undefined;
  // Generated from the fixed template above; no text from handlers or callers goes into it.
  const factory = new Function('list', 'entries', 'implicit', 'dispatcher', 'Thrown', 'isThenable', dispatchSource(list.entries.length));
  return factory(list, list.entries, list.implicit, dispatcher, Thrown, isThenable) as CompiledRun;
}
