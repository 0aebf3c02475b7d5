// The fast path of dispatch, generated per handler list like tapable's hooks: code with a call
// site per handler, which V8 can inline, instead of a loop whose one call site sees every handler.
// It only handles "the handler returned nothing"; anything else (a result, a throw, a promise, an
// unregistered entry) goes to the Dispatcher, which owns the semantics. The generated text is
// pinned by a snapshot test, and every behaviour test runs on this path and on the Dispatcher's.
import type { Outcome } from './dispatch-outcome';
import type { AsyncRun, Dispatcher, HandlerList } from './dispatcher';
import { isThenable, Thrown } from './handler-result';

/** Starts a dispatch: the outcome when every handler ran synchronously, else a promise of it. */
export type CompiledStart = (outcome: Outcome<unknown>) => Outcome<unknown> | Promise<Outcome<unknown>>;

/**
 * Runs a list's handlers from `from` on. Returns the outcome when it ran to the end synchronously,
 * a promise of it when a handler went async and no AsyncRun existed yet, and undefined when it
 * handed over to an existing AsyncRun.
 */
export type CompiledResume = (
  outcome: Outcome<unknown>,
  from: number,
  run: AsyncRun<unknown> | undefined,
) => Outcome<unknown> | Promise<Outcome<unknown>> | undefined;

export interface CompiledRun {
  start: CompiledStart;
  resume: CompiledResume;
}

/** Lists longer than this use the Dispatcher's loop: a straight line that long gains nothing. */
export const MAX_COMPILED_HANDLERS = 64;

/**
 * The body of the generated factory for `count` handlers. It makes:
 * - `start(o)`: the common case, straight-line code for a dispatch in which every handler returns
 *   nothing. At the first handler that does anything else (or an unregistered entry) it hands the
 *   rest of the dispatch to the Dispatcher, which settles that handler and goes on with `resume`.
 * - `step0` … `stepN`: one function per handler, each calling the next, to go on from any index —
 *   after an explicit result, or when an async handler settles; `resume(o, from, async)` enters
 *   them. `own` says the outcome has an array of its own to which implicit results are pushed.
 * A single function with a fall-through `switch` was measured about a tenth slower in the common
 * path, hence start and the steps.
 */
export function dispatchSource(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`var e${i} = entries[${i}], f${i} = e${i}.handler, n${i} = e${i}.info, p${i} = e${i}.implicit;`);
  lines.push('function start(o) {', '  var d = o.data, r;');
  for (let i = 0; i < count; i++) {
    lines.push(
      `  if (e${i}.active) {`,
      `    try { r = f${i}(d, n${i}); } catch (error) { r = new Thrown(error); }`,
      `    if (r !== undefined) return dispatcher.handOver(list, ${i}, r, o, resume);`,
      `  } else return dispatcher.skipThen(list, ${i}, o, resume);`,
    );
  }
  lines.push('  return o;', '}');
  for (let i = 0; i < count; i++) {
    const next = `step${i + 1}`;
    lines.push(
      `function step${i}(o, own, async) {`,
      `  var r;`,
      `  if (e${i}.active) {`,
      `    try { r = f${i}(o.data, n${i}); } catch (error) { r = new Thrown(error); }`,
      `    if (r === undefined) { if (own) o.results.push(p${i}); return ${next}(o, own, async); }`,
      `    if (isThenable(r)) return dispatcher.suspend(list, ${i}, r, 0, o, async, resume);`,
      `    if (dispatcher.settle(list, ${i}, r, 0, 0, o)) return dispatcher.done(o, async);`,
      `    return ${next}(o, true, async);`,
      `  }`,
      `  dispatcher.skip(list, ${i}, o);`,
      `  return ${next}(o, true, async);`,
      `}`,
    );
  }
  lines.push(`function step${count}(o, own, async) { return dispatcher.done(o, async); }`);
  lines.push(`var steps = [${Array.from({ length: count + 1 }, (_, i) => `step${i}`).join(', ')}];`);
  lines.push('function resume(o, from, async) { return steps[from](o, o.results !== implicit, async); }');
  lines.push('return { start: start, resume: resume };');
  return lines.join('\n');
}

/** The fast path for a list, used while history and metrics are off; undefined for very long lists. */
export function compileRun(list: HandlerList, dispatcher: Dispatcher): CompiledRun | undefined {
  if (list.entries.length > MAX_COMPILED_HANDLERS) return undefined;
  // Generated from the fixed template above; no text from handlers or callers goes into it.
  const factory = new Function('list', 'entries', 'implicit', 'dispatcher', 'Thrown', 'isThenable', dispatchSource(list.entries.length));
  return factory(list, list.entries, list.implicit, dispatcher, Thrown, isThenable) as CompiledRun;
}
