// Times out async handlers without a timer or clock read per call. One interval per bus runs
// while dispatches wait on async handlers and advances a virtual clock by its period; a waiting
// handler expires once the virtual clock has moved its timeout plus one period past its start.
// Virtual time lags real time when the event loop is late, so a handler is never expired early;
// it is expired at most about two periods late, and the period is a quarter of the shortest
// timeout registered.

const MIN_PERIOD_MS = 1;
const MAX_PERIOD_MS = 1000;

export interface Watched {
  /** Links of the watchdog's list; owned by the watchdog (an intrusive list allocates nothing per watch). */
  watchPrev: Watched | undefined;
  watchNext: Watched | undefined;
  /** Whether a handler is being awaited right now. */
  readonly waiting: boolean;
  /** That handler's timeout in ms; Infinity never expires. */
  readonly timeoutMs: number;
  /** Virtual time when that handler started (HandlerWatchdog.now at the time). */
  readonly startedAt: number;
  /** Called when that handler has run past its timeout. */
  expire(): void;
}

export class HandlerWatchdog {
  private head: Watched | undefined;
  private timer: NodeJS.Timeout | undefined;
  private period = MAX_PERIOD_MS;
  private virtualNow = 0;

  /** The virtual clock, for Watched.startedAt. */
  get now(): number {
    return this.virtualNow;
  }

  /** Starts watching a dispatch that waits on async handlers, until unwatch(). */
  watch(item: Watched): void {
    item.watchPrev = undefined;
    item.watchNext = this.head;
    if (this.head !== undefined) this.head.watchPrev = item;
    this.head = item;
    if (this.timer === undefined) this.start(this.period);
  }

  unwatch(item: Watched): void {
    // The interval stops at its next idle tick rather than now: a busy host would otherwise create
    // and clear a timer for every async dispatch.
    if (item.watchPrev !== undefined) item.watchPrev.watchNext = item.watchNext;
    else if (this.head === item) this.head = item.watchNext;
    if (item.watchNext !== undefined) item.watchNext.watchPrev = item.watchPrev;
    item.watchPrev = undefined;
    item.watchNext = undefined;
  }

  /** Makes the clock tick often enough for a handler with this timeout (called at registration). */
  need(timeoutMs: number): void {
    if (!Number.isFinite(timeoutMs)) return;
    const wanted = Math.min(MAX_PERIOD_MS, Math.max(MIN_PERIOD_MS, timeoutMs / 4));
    if (wanted >= this.period) return;
    if (this.timer === undefined) this.period = wanted;
    else this.start(wanted);
  }

  private start(period: number): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.period = period;
    // Unref'd: what a handler awaits (I/O, a worker) keeps the process alive, not the watchdog.
    // A handler awaiting nothing at all lets the process end, as any such await in Node does.
    this.timer = setInterval(() => this.tick(), period).unref();
  }

  private tick(): void {
    if (this.head === undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.virtualNow += this.period;
    let item: Watched | undefined = this.head;
    while (item !== undefined) {
      const next: Watched | undefined = item.watchNext;
      if (item.waiting && this.virtualNow - item.startedAt >= item.timeoutMs + this.period) item.expire();
      item = next;
    }
  }
}
