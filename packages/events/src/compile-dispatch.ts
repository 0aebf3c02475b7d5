// The fast path of dispatch, generated per handler list like tapable's hooks: one straight-line
// function with a call site per handler, which V8 can inline, instead of a loop whose single call
// site sees every handler. It only handles "the handler returned nothing"; everything else (a
// result, a throw, a promise, an unregistered entry) goes to the Dispatcher, which owns the
// semantics. The generated text is pinned by a snapshot test.
import { Outcome } from './dispatch-outcome';
import type { Dispatcher, HandlerList } from './dispatcher';
import { isThenable, Thrown } from './handler-result';

export type CompiledDispatch = <D>(data: D) => Outcome<D> | Promise<Outcome<D>>;

/** Lists longer than this use the Dispatcher's loop: a straight line that long gains nothing. */
export const MAX_COMPILED_HANDLERS = 64;

/** The source of the generated function's body for `count` handlers. */
export function dispatchSource(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`var e${i} = entries[${i}], f${i} = e${i}.handler, n${i} = e${i}.info, p${i} = e${i}.implicit;`);
  lines.push('return function dispatch(data) {');
  lines.push('  var o = new Outcome(list.hook, data, implicit), r;');
  for (let i = 0; i < count; i++) {
    lines.push(
      `  if (e${i}.active) {`,
      `    try { r = f${i}(o.data, n${i}); } catch (error) { r = new Thrown(error); }`,
      `    if (r === undefined) { if (o.results !== implicit) o.results.push(p${i}); }`,
      `    else if (isThenable(r)) return dispatcher.continueAsync(list, ${i}, r, 0, o);`,
      `    else if (dispatcher.settle(list, ${i}, r, 0, 0, o)) return o;`,
      `  } else dispatcher.skip(list, ${i}, o);`,
    );
  }
  lines.push('  return o;', '};');
  return lines.join('\n');
}

/** The dispatch function for a list, used while history and metrics are off. */
export function compileDispatch(list: HandlerList, dispatcher: Dispatcher): CompiledDispatch {
  if (list.entries.length > MAX_COMPILED_HANDLERS) {
    return <D>(data: D) => dispatcher.run(list, new Outcome(list.hook, data, list.implicit));
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from a fixed template, no user text
  const factory = new Function('list', 'entries', 'implicit', 'dispatcher', 'Outcome', 'Thrown', 'isThenable', dispatchSource(list.entries.length));
  return factory(list, list.entries, list.implicit, dispatcher, Outcome, Thrown, isThenable) as CompiledDispatch;
}
