// The text of generated dispatch, made per handler list like tapable's hooks: a call site per
// handler, which V8 can inline, instead of a loop whose one call site sees every handler. This is
// the only way handlers run. The text is pinned by a snapshot test (compile-dispatch.test.ts).

/** Handlers per generated block: a list longer than this is run as a chain of blocks. */
export const BLOCK_SIZE = 64;

/** The generated factory's parameters, in the order compile-dispatch.ts passes them. */
export const FACTORY_PARAMS = ['list', 'entries', 'dispatcher', 'code', 'next', 'Thrown', 'isThenable'] as const;

export interface BlockShape {
  /** Index in the list of the block's first handler. */
  base: number;
  /** Handlers in the block: 0 only for an empty list. */
  count: number;
  /**
   * Time each call, as the Dispatcher's observe() wants it: one clock read between consecutive
   * handlers (the end of one is the start of the next), so n + 1 reads for n handlers.
   */
  timed: boolean;
  /** Whether another block follows (its start and resume are the factory's `next`). */
  chained: boolean;
}

/**
 * The body of a factory returning `{ start, resume }` for handlers base … base + count - 1:
 * - `start(o)`: the common case, straight-line code for a dispatch in which every handler returns
 *   nothing; the outcome keeps the list's shared implicit results. At the first handler that does
 *   anything else (or an unregistered entry) it hands the rest to the Dispatcher, which settles
 *   that handler and goes on with `code`'s resume. A chained block's start is entered with the
 *   clock reading that starts its first handler.
 * - `resume(o, from, async, t)`: goes on from any index — after an explicit result, or when an
 *   async handler settled — with a fall-through switch, so running on costs no stack per handler;
 *   `t` is the reading that starts handler `from` (0 when not timed). Every result is settled by
 *   the Dispatcher. A `from` past the block is passed on to the next one.
 * A single switch for the common path too was measured about a tenth slower, hence start.
 */
export function dispatchSource({ base, count, timed, chained }: BlockShape): string {
  const end = base + count;
  const indexes = Array.from({ length: count }, (_, i) => base + i);
  const lines: string[] = [];
  for (const k of indexes) lines.push(`var e${k} = entries[${k}], f${k} = e${k}.handler, n${k} = e${k}.info, p${k} = e${k}.implicit;`);

  // The first block reads the clock that starts the dispatch; a chained one is given it.
  const ownClock = base === 0 ? ', t = performance.now()' : '';
  lines.push(
    timed ? `function start(o${base === 0 ? '' : ', t'}) {` : 'function start(o) {',
    `  var d = o.data, r${timed ? `${ownClock}, u` : ''};`,
  );
  const started = timed ? 't' : '0';
  for (const k of indexes) {
    lines.push(
      `  if (e${k}.active) {`,
      `    try { r = f${k}(d, n${k}); } catch (error) { r = new Thrown(error); }`,
      `    if (r !== undefined) return dispatcher.handOver(list, ${k}, r, ${started}, o, code);`,
    );
    if (timed) lines.push(`    u = performance.now(); dispatcher.observe(e${k}, t, u, p${k}.result, d); t = u;`);
    lines.push(`  } else return dispatcher.skipThen(list, ${k}, o, code, ${started});`);
  }
  lines.push(chained ? `  return next.start(o${timed ? ', t' : ''});` : '  return o;', '}');

  lines.push('function resume(o, from, async, t) {', `  var r${timed ? ', u' : ''};`, '  switch (from) {');
  for (const k of indexes) {
    lines.push(
      `    case ${k}:`,
      `      if (e${k}.active) {`,
      `        try { r = f${k}(o.data, n${k}); } catch (error) { r = new Thrown(error); }`,
      `        if (isThenable(r)) return dispatcher.suspend(list, ${k}, r, ${started}, o, async, code);`,
    );
    if (timed) lines.push(`        u = performance.now();`);
    lines.push(`        if (dispatcher.settle(list, ${k}, r, ${started}, ${timed ? 'u' : '0'}, o)) return dispatcher.done(o, async);`);
    if (timed) lines.push(`        t = u;`);
    lines.push(`      } else dispatcher.skip(list, ${k}, o);`, `    // falls through`);
  }
  lines.push('  }');
  lines.push(chained ? `  return next.resume(o, from < ${end} ? ${end} : from, async, t);` : '  return dispatcher.done(o, async);', '}');
  lines.push('return { start: start, resume: resume };');
  return lines.join('\n');
}
