// The one dispatcher: a handler list's generated code (dispatch-source.ts), in the variant for the
// bus's observability — timed while history or metrics are on, plain while both are off — made
// when first needed and kept with the list. The generated code calls into the Dispatcher for
// anything but "the handler returned nothing"; the Dispatcher owns the semantics.
import type { Outcome } from './dispatch-outcome';
import type { AsyncRun, Dispatcher, HandlerList } from './dispatcher';
import { BLOCK_SIZE, dispatchSource, FACTORY_PARAMS } from './dispatch-source';
import { isThenable, Thrown } from './handler-result';

/** The generated functions for a list (or, inside, for one block of it and those after it). */
export interface CompiledRun {
  /** Runs a dispatch: the outcome when every handler ran synchronously, else a promise of it. */
  start(outcome: Outcome<unknown>): Outcome<unknown> | Promise<Outcome<unknown>>;
  /**
   * Runs the handlers from `from` on, `clock` being the reading that starts handler `from` (0 when
   * not timed). Returns the outcome when it ran to the end synchronously, a promise of it when a
   * handler went async and no AsyncRun existed yet, and undefined when it handed over to `run`.
   */
  resume(
    outcome: Outcome<unknown>,
    from: number,
    run: AsyncRun<unknown> | undefined,
    clock: number,
  ): Outcome<unknown> | Promise<Outcome<unknown>> | undefined;
}

type Factory = (...args: unknown[]) => CompiledRun;

export class CompiledDispatch {
  private plain: CompiledRun | undefined = undefined;
  private timed: CompiledRun | undefined = undefined;

  constructor(
    private readonly list: HandlerList,
    private readonly dispatcher: Dispatcher,
  ) {}

  /**
   * The variant for the bus's observability now. Asked at every dispatch and every resume, so a
   * dispatch that waits on a handler goes on in the variant of the settings it wakes up to; a
   * synchronous run keeps the variant it started in.
   */
  current(): CompiledRun {
    if (this.dispatcher.observing) return (this.timed ??= this.compile(true));
    return (this.plain ??= this.compile(false));
  }

  /**
   * Blocks of BLOCK_SIZE handlers, built from the last back so that each is given the one after it:
   * a chain as deep as the blocks, not the handlers, however long the list.
   */
  private compile(timed: boolean): CompiledRun {
    const { list, dispatcher } = this;
    const length = list.entries.length;
    let next: CompiledRun | undefined;
    for (let base = Math.max(0, Math.ceil(length / BLOCK_SIZE) - 1) * BLOCK_SIZE; base >= 0; base -= BLOCK_SIZE) {
      const source = dispatchSource({ base, count: Math.min(BLOCK_SIZE, length - base), timed, chained: next !== undefined });
      // Generated from the fixed template; no text from handlers or callers goes into it.
      const factory = new Function(...FACTORY_PARAMS, source) as Factory;
      next = factory(list, list.entries, dispatcher, this, next, Thrown, isThenable);
    }
    return next!;
  }
}
