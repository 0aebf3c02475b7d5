import { ChainAction, chainAction, isEventData, isHookResult, type HookResult } from '@marathon/plugin-api';
import type { CompiledResume } from './compile-dispatch';
import type { HandlerEntry } from './handler-entry';
import { invoke } from './handler-entry';
import { faultResult, isThenable, Thrown, TIMED_OUT } from './handler-result';
import { HandlerWatchdog, type Watched } from './handler-watchdog';
import { summariseData, type EventHistory } from './history';
import type { LifecycleEvents } from './lifecycle';
import { Outcome, ownResults } from './dispatch-outcome';
import type { HandlerOutcome } from './types';

// Read once: performance.timeOrigin is a getter that costs as much as the rest of a record.
const TIME_ORIGIN = performance.timeOrigin;

/** A hook's handlers as one dispatch sees them: a snapshot, replaced (not changed) on registration. */
export interface HandlerList {
  readonly hook: Outcome<unknown>['hook'];
  readonly entries: readonly HandlerEntry[];
  /** entries[i].implicit for every i, frozen: the results of a dispatch in which nobody returned anything. */
  readonly implicit: readonly HandlerOutcome[];
  readonly veto: boolean;
}

/**
 * The steps of a dispatch that every path shares — settling a handler's result, observing it,
 * running the rest of a list synchronously or across awaits — with the bus's observability
 * settings. The compiled fast path (compile-dispatch.ts) calls into it for anything but
 * "the handler returned nothing".
 *
 * While observing, handler calls are timed with one clock read between consecutive handlers (the
 * end of one is the start of the next): n + 1 reads for n handlers, and no allocation per call.
 */
export class Dispatcher {
  historyOn = true;
  metricsOn = true;
  recordData = false;
  /** historyOn || metricsOn: whether handler calls are timed at all. */
  observing = true;
  readonly watchdog = new HandlerWatchdog();

  constructor(
    readonly history: EventHistory,
    readonly lifecycle: LifecycleEvents,
    readonly slowHandlerMs: number,
  ) {}

  /**
   * Records one handler's result — raw is what it returned, a Thrown, or TIMED_OUT; `started` and
   * `ended` are performance.now() readings when observing — and returns true when the chain ends.
   */
  settle<D>(list: HandlerList, index: number, raw: unknown, started: number, ended: number, outcome: Outcome<D>): boolean {
    const entry = list.entries[index]!;
    if (raw === undefined) {
      if (this.observing) this.observe(entry, started, ended, entry.implicit.result, outcome.data);
      if (outcome.results !== list.implicit) (outcome.results as HandlerOutcome[]).push(entry.implicit);
      return false;
    }
    let handlerOutcome: HandlerOutcome;
    let result: HookResult;
    // A writer's result_data becomes the event: data that cannot be one fails the call instead.
    if (isHookResult(raw) && (!entry.canWrite || raw.result_data === undefined || isEventData(raw.result_data))) {
      result = raw;
      handlerOutcome = { plugin: entry.owner, result };
    } else {
      const fault = faultResult(raw, entry.timeoutMs);
      result = fault.result;
      handlerOutcome = { plugin: entry.owner, result, fault: fault.fault };
      this.lifecycle.emit('hook:fault', { plugin: entry.owner, hook: entry.hook, fault: fault.fault, message: result.message ?? '' });
    }
    if (this.observing) this.observe(entry, started, ended, result, outcome.data);
    ownResults(outcome, list.implicit, index).push(handlerOutcome);

    const action = chainAction(list.veto, result.success, result.continue_chain);
    if (action === ChainAction.Veto) {
      outcome.vetoed = true;
      outcome.vetoedBy = entry.owner;
      outcome.vetoReason = `plugin '${entry.owner}' vetoed ${entry.hook}: ${result.message ?? 'no reason given'}`;
      return true;
    }
    if (entry.canWrite && result.success && result.result_data !== undefined) outcome.data = result.result_data as D;
    if (action === ChainAction.Stop) {
      outcome.stoppedBy = entry.owner;
      return true;
    }
    return false;
  }

  /** An entry unregistered since the list was taken: it does not run and leaves no result. */
  skip<D>(list: HandlerList, index: number, outcome: Outcome<D>): void {
    ownResults(outcome, list.implicit, index);
  }

  /**
   * Runs entries from `from` on with the loop (the path while observing, and for very long lists).
   * `clock` is the reading that starts the first of them when resuming after an async handler.
   * Returns like a CompiledRun: the outcome, a promise of it, or undefined when `run` took over.
   */
  runFrom<D>(
    list: HandlerList,
    from: number,
    outcome: Outcome<D>,
    run: AsyncRun<D> | undefined,
    clock: number = this.observing ? performance.now() : 0,
  ): Outcome<D> | Promise<Outcome<D>> | undefined {
    const entries = list.entries;
    for (let index = from; index < entries.length; index++) {
      const entry = entries[index]!;
      if (!entry.active) {
        this.skip(list, index, outcome);
        continue;
      }
      const started = clock;
      const raw = invoke(entry, outcome.data);
      if (isThenable(raw)) return this.suspend(list, index, raw, started, outcome, run, undefined);
      if (this.observing) clock = performance.now();
      if (this.settle(list, index, raw, started, clock, outcome)) return this.done(outcome, run);
    }
    return this.done(outcome, run);
  }

  /**
   * Handler `index` returned `pending`: waits for it in `run`, or in a new AsyncRun whose promise
   * is returned. `compiled` is the fast path to resume with, if the dispatch is on it.
   */
  suspend<D>(
    list: HandlerList,
    index: number,
    pending: PromiseLike<unknown>,
    started: number,
    outcome: Outcome<D>,
    run: AsyncRun<D> | undefined,
    compiled: CompiledResume | undefined,
  ): Promise<Outcome<D>> | undefined {
    if (run !== undefined) {
      run.wait(index, pending, started);
      return undefined;
    }
    return new Promise((resolve, reject) => new AsyncRun(this, list, outcome, compiled, resolve, reject).wait(index, pending, started));
  }

  /**
   * The fast path's way out: handler `index` returned `raw` (not nothing). Settles it and goes on
   * with `resume`, or waits for it when it is a promise.
   */
  handOver<D>(list: HandlerList, index: number, raw: unknown, outcome: Outcome<D>, resume: CompiledResume): Outcome<D> | Promise<Outcome<D>> {
    if (isThenable(raw)) return this.suspend(list, index, raw, 0, outcome, undefined, resume)!;
    if (this.settle(list, index, raw, 0, 0, outcome)) return outcome;
    return resume(outcome as Outcome<unknown>, index + 1, undefined) as Outcome<D> | Promise<Outcome<D>>;
  }

  /** The fast path met an unregistered entry: skips it and goes on with `resume`. */
  skipThen<D>(list: HandlerList, index: number, outcome: Outcome<D>, resume: CompiledResume): Outcome<D> | Promise<Outcome<D>> {
    this.skip(list, index, outcome);
    return resume(outcome as Outcome<unknown>, index + 1, undefined) as Outcome<D> | Promise<Outcome<D>>;
  }

  /** The end of a run of handlers: completes the AsyncRun if there is one. */
  done<D>(outcome: Outcome<D>, run: AsyncRun<D> | undefined): Outcome<D> {
    if (run !== undefined) run.finish();
    return outcome;
  }

  private observe(entry: HandlerEntry, started: number, ended: number, result: HookResult, input: unknown): void {
    // A call that began while observability was off (an async dispatch switched over) has no start.
    if (started === 0) return;
    const ns = Math.round((ended - started) * 1e6);
    if (this.metricsOn) entry.cell.record(result.success, ns);
    if (this.historyOn) {
      this.history.push(
        TIME_ORIGIN + started,
        entry.hook,
        entry.owner,
        result.success,
        ns,
        result.message,
        this.recordData ? summariseData(input) : undefined,
      );
    }
    if (ns > this.slowHandlerMs * 1e6) {
      this.lifecycle.emit('hook:slow', { plugin: entry.owner, hook: entry.hook, duration_ns: ns, threshold_ms: this.slowHandlerMs });
    }
  }
}

/**
 * One dispatch waiting on async handlers. One async loop per dispatch awaits each pending handler
 * in turn (an `await` costs less than a `then` with its derived promise), and the synchronous
 * steps between awaits run the fast path or the Dispatcher's loop, which hand the next pending
 * handler back through wait(). The watchdog, not a timer per call, bounds each wait: on expiry the
 * dispatch goes on in a fresh loop, and the stale loop ends when (if ever) its await returns.
 */
export class AsyncRun<D> implements Watched {
  watchPrev: Watched | undefined = undefined;
  watchNext: Watched | undefined = undefined;
  waiting = false;
  startedAt = 0;
  private readonly watchdog: HandlerWatchdog;
  private index = 0;
  private started = 0;
  /** Bumped on every expiry: a loop started under an older generation is stale. */
  private generation = 0;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly list: HandlerList,
    private readonly outcome: Outcome<D>,
    /** The fast path to resume with; the Dispatcher's loop when undefined. */
    private readonly compiled: CompiledResume | undefined,
    private readonly resolve: (outcome: Outcome<D>) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.watchdog = dispatcher.watchdog;
    this.watchdog.watch(this);
  }

  /** Read by the watchdog at its ticks only, so not stored on every wait. */
  get timeoutMs(): number {
    return this.list.entries[this.index]!.timeoutMs;
  }

  private onValue!: (value: unknown) => void;
  private onError!: (error: unknown) => void;

  private arm(): void {
    const generation = ++this.generation;
    this.onValue = (value) => {
      if (generation === this.generation) this.step(value);
    };
    this.onError = (error) => {
      if (generation === this.generation) this.step(new Thrown(error));
    };
  }

  /** Handler `index` returned `pending`: wait for it. */
  wait(index: number, pending: PromiseLike<unknown>, started: number): void {
    this.index = index;
    this.started = started;
    this.startedAt = this.watchdog.now;
    this.waiting = true;
    if (this.onValue === undefined) this.arm();
    if (pending instanceof Promise) {
      pending.then(this.onValue, this.onError);
      return;
    }
    // A foreign thenable may call back twice or throw from then(): accept only its first answer.
    const generation = this.generation;
    const once = (raw: unknown) => {
      if (this.waiting && this.index === index && this.generation === generation) this.step(raw);
    };
    try {
      pending.then(once, (error: unknown) => once(new Thrown(error)));
    } catch (error) {
      once(new Thrown(error));
    }
  }

  expire(): void {
    this.arm();
    this.step(TIMED_OUT);
  }

  /** Settles the awaited handler and runs on until the next pending handler or the end. */
  private step(raw: unknown): void {
    this.waiting = false;
    const { dispatcher, list, outcome } = this;
    try {
      if (raw === undefined && this.compiled !== undefined && !dispatcher.observing) {
        // The common case, as the fast path handles it: nothing to settle but the implicit result.
        if (outcome.results !== list.implicit) (outcome.results as HandlerOutcome[]).push(list.implicit[this.index]!);
        this.compiled(outcome as Outcome<unknown>, this.index + 1, this as AsyncRun<unknown>);
        return;
      }
      const clock = dispatcher.observing ? performance.now() : 0;
      if (dispatcher.settle(list, this.index, raw, this.started, clock, outcome)) {
        this.finish();
      } else if (this.compiled !== undefined && !dispatcher.observing) {
        this.compiled(outcome as Outcome<unknown>, this.index + 1, this as AsyncRun<unknown>);
      } else {
        dispatcher.runFrom(list, this.index + 1, outcome, this, clock);
      }
    } catch (error) {
      // Only the host's own code (a lifecycle listener) can throw here; the dispatch fails with it.
      dispatcher.watchdog.unwatch(this);
      this.reject(error);
    }
  }

  finish(): void {
    this.dispatcher.watchdog.unwatch(this);
    this.resolve(this.outcome);
  }
}
