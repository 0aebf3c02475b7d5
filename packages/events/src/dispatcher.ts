import { ChainAction, chainAction, isEventData, isHookResult, type HookResult } from '@marathon/plugin-api';
import type { CompiledDispatch } from './compile-dispatch';
import type { HandlerEntry } from './handler-entry';
import { faultResult, isThenable, MEASURED_DURATION_MS, Thrown, TIMED_OUT, type MeasuredResult } from './handler-result';
import { HandlerWatchdog, type Watched } from './handler-watchdog';
import { summariseData, type EventHistory } from './history';
import type { LifecycleEvents } from './lifecycle';
import { ownResults, type Outcome } from './dispatch-outcome';
import type { HandlerOutcome } from './types';

// Read once: performance.timeOrigin is a getter that costs as much as the rest of a record.
const TIME_ORIGIN = performance.timeOrigin;

/** A hook's handlers as one dispatch sees them: a snapshot, replaced (not changed) on registration. */
export interface HandlerList {
  readonly hook: Outcome<unknown>['hook'];
  readonly entries: readonly HandlerEntry[];
  /** entries[i].owner for every i. */
  readonly owners: readonly string[];
  /** entries[i].implicit for every i, frozen: the results of a dispatch in which nobody returned anything. */
  readonly implicit: readonly HandlerOutcome[];
  readonly veto: boolean;
}

/**
 * The semantics of a dispatch — settling a handler's result, observing it, waiting for an async
 * handler — with the bus's observability settings. The generated code (compile-dispatch.ts), the
 * one path handlers run on, calls into it for anything but "the handler returned nothing".
 *
 * While observing, the generated code times handler calls with one clock read between
 * consecutive handlers (the end of one is the start of the next): n + 1 reads for n handlers, and
 * no allocation per call.
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
      this.observe(entry, started, ended, entry.implicit.result, outcome.data);
      if (outcome.results !== list.implicit) (outcome.results as HandlerOutcome[]).push(entry.implicit);
      return false;
    }
    let handlerOutcome: HandlerOutcome;
    let result: HookResult;
    // A writer's result_data becomes the event: data that cannot be one fails the call instead.
    if (isHookResult(raw) && (!entry.canWrite || raw.result_data === undefined || isEventData(raw.result_data))) {
      result = raw;
      handlerOutcome = { plugin: entry.owner, result };
      const measured = (raw as MeasuredResult)[MEASURED_DURATION_MS];
      if (typeof measured === 'number' && ended !== 0) started = ended - measured;
    } else {
      const fault = faultResult(raw, entry.timeoutMs);
      result = fault.result;
      handlerOutcome = { plugin: entry.owner, result, fault: fault.fault };
      this.lifecycle.emit('hook:fault', { plugin: entry.owner, hook: entry.hook, fault: fault.fault, message: result.message ?? '' });
    }
    this.observe(entry, started, ended, result, outcome.data);
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
   * Handler `index` returned `pending`: waits for it in `run`, or in a new AsyncRun whose promise
   * is returned, which goes on with `code` once it settled.
   */
  suspend<D>(
    list: HandlerList,
    index: number,
    pending: PromiseLike<unknown>,
    started: number,
    outcome: Outcome<D>,
    run: AsyncRun<D> | undefined,
    code: CompiledDispatch,
  ): Promise<Outcome<D>> | undefined {
    if (run !== undefined) {
      run.wait(index, pending, started);
      return undefined;
    }
    return new Promise((resolve, reject) => new AsyncRun(this, list, outcome, code, resolve, reject).wait(index, pending, started));
  }

  /**
   * The generated start's way out: handler `index`, called at `started`, returned `raw` (not
   * nothing). Settles it and goes on with `code`, or waits for it when it is a promise.
   */
  handOver<D>(
    list: HandlerList,
    index: number,
    raw: unknown,
    started: number,
    outcome: Outcome<D>,
    code: CompiledDispatch,
  ): Outcome<D> | Promise<Outcome<D>> {
    if (isThenable(raw)) return this.suspend(list, index, raw, started, outcome, undefined, code)!;
    const ended = this.observing ? performance.now() : 0;
    if (this.settle(list, index, raw, started, ended, outcome)) return outcome;
    return code.current().resume(outcome as Outcome<unknown>, index + 1, undefined, ended) as Outcome<D> | Promise<Outcome<D>>;
  }

  /** The generated start met an unregistered entry: skips it and goes on with `code`. */
  skipThen<D>(
    list: HandlerList,
    index: number,
    outcome: Outcome<D>,
    code: CompiledDispatch,
    clock: number,
  ): Outcome<D> | Promise<Outcome<D>> {
    this.skip(list, index, outcome);
    return code.current().resume(outcome as Outcome<unknown>, index + 1, undefined, clock) as Outcome<D> | Promise<Outcome<D>>;
  }

  /** The end of a run of handlers: completes the AsyncRun if there is one. */
  done<D>(outcome: Outcome<D>, run: AsyncRun<D> | undefined): Outcome<D> {
    if (run !== undefined) run.finish();
    return outcome;
  }

  /**
   * Records a handler call that ran from `started` to `ended` (performance.now() readings) in
   * metrics and history, and announces it when slow. Called by the generated code for "returned
   * nothing", and by settle() for everything else.
   */
  observe(entry: HandlerEntry, started: number, ended: number, result: HookResult, input: unknown): void {
    // A call that began while observability was off (an async dispatch switched over) has no start;
    // one that ends after it was switched off (by a handler, mid-dispatch) is not observed.
    if (started === 0 || !this.observing) return;
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
 * steps between awaits run the generated code, which hands the next pending handler back through
 * wait(). The watchdog, not a timer per call, bounds each wait: on expiry the
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
    /** The list's generated code, to go on with in the variant of the settings at the time. */
    private readonly code: CompiledDispatch,
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
      if (raw === undefined && !dispatcher.observing) {
        // The common case, as the generated code handles it: nothing to settle but the implicit result.
        if (outcome.results !== list.implicit) (outcome.results as HandlerOutcome[]).push(list.implicit[this.index]!);
        void this.code.current().resume(outcome as Outcome<unknown>, this.index + 1, this as AsyncRun<unknown>, 0);
        return;
      }
      const clock = dispatcher.observing ? performance.now() : 0;
      if (dispatcher.settle(list, this.index, raw, this.started, clock, outcome)) {
        this.finish();
      } else {
        // Its promise, if any, is this run's own: finish() or reject() settles it.
        void this.code.current().resume(outcome as Outcome<unknown>, this.index + 1, this as AsyncRun<unknown>, clock);
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
