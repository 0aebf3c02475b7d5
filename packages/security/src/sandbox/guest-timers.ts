// The host's side of the guest's setTimeout/setInterval (guest/timers.ts). Timers are kept here,
// with the guest callbacks as handles, and fire only while a call of the plugin is running, under
// the running calls' deadline (the instance runs them; see PluginInstance.fireTimers). A timer
// belongs to the calls running when it was set: once none of them is running any more, it is
// dropped and its callback freed, so a timer never fires after its call ended, and no timer keeps
// a call open. The number pending at once is capped, so a loop of setTimeout cannot make the host
// hold an unbounded number of timers.
import type { QuickJSHandle } from 'quickjs-emscripten-core';

/** Timers one plugin instance may have pending at once. */
export const MAX_PENDING_TIMERS = 1000;

interface Timer {
  id: number;
  due: number;
  /** Milliseconds between runs of an interval; undefined for a one-shot timer. */
  every: number | undefined;
  callback: QuickJSHandle;
  owners: readonly object[];
}

export class GuestTimers {
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;
  private wakeup: ReturnType<typeof setTimeout> | undefined;
  /** The timer whose callback is running: its handle is freed only once the callback returned. */
  private running: Timer | undefined;

  constructor(
    /** Frees a callback handle the instance no longer needs. */
    private readonly release: (handle: QuickJSHandle) => void,
    /** Called (from the event loop) when a timer may be due. */
    private readonly onDue: () => void,
  ) {}

  get size(): number {
    return this.timers.size;
  }

  /** Adds a timer owned by `owners` (the calls running now); its id, or undefined past the cap. */
  add(callback: QuickJSHandle, delay: number, repeat: boolean, owners: readonly object[]): number | undefined {
    if (this.timers.size >= MAX_PENDING_TIMERS) return undefined;
    const id = this.nextId++;
    this.timers.set(id, {
      id,
      due: performance.now() + delay,
      every: repeat ? Math.max(1, delay) : undefined,
      callback: callback.dup(),
      owners,
    });
    this.schedule();
    return id;
  }

  clear(id: number): void {
    if (this.remove(id)) this.schedule();
  }

  /**
   * Runs the timers due at `now`, earliest first, each through `run` (false stops the round: the
   * instance broke a limit). A one-shot timer is removed before it runs; an interval is moved to
   * its next time. A timer cleared by an earlier callback of the round does not run.
   */
  runDue(now: number, run: (callback: QuickJSHandle) => boolean): void {
    const due = [...this.timers.values()].filter((timer) => timer.due <= now).sort((a, b) => a.due - b.due || a.id - b.id);
    for (const timer of due) {
      if (this.timers.get(timer.id) !== timer) continue;
      if (timer.every === undefined) this.timers.delete(timer.id);
      else timer.due = now + timer.every;
      this.running = timer;
      let go: boolean;
      try {
        go = run(timer.callback);
      } finally {
        this.running = undefined;
      }
      if (this.timers.get(timer.id) !== timer) this.release(timer.callback);
      if (!go) return;
    }
    this.schedule();
  }

  /** Drops every timer none of whose owning calls is still running. */
  sweep(running: (owner: object) => boolean): void {
    // Rescheduled once for the lot, and only if one went: a call ending with many timers pending
    // must not re-arm the host timer once per timer dropped (nor at all when none was).
    let removed = false;
    for (const timer of [...this.timers.values()]) {
      if (!timer.owners.some(running)) removed = this.remove(timer.id) || removed;
    }
    if (removed) this.schedule();
  }

  /** Takes a timer out, freeing its callback unless it is running; false when there was none. */
  private remove(id: number): boolean {
    const timer = this.timers.get(id);
    if (timer === undefined) return false;
    this.timers.delete(id);
    if (timer !== this.running) this.release(timer.callback);
    return true;
  }

  /** Forgets every timer without freeing anything: the engine itself is being dropped. */
  abandon(): void {
    this.timers.clear();
    this.schedule();
  }

  /** One host timer, for the earliest guest timer; none when there is nothing pending. */
  private schedule(): void {
    if (this.wakeup !== undefined) clearTimeout(this.wakeup);
    this.wakeup = undefined;
    if (this.running !== undefined) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const timer of this.timers.values()) earliest = Math.min(earliest, timer.due);
    if (earliest === Number.POSITIVE_INFINITY) return;
    this.wakeup = setTimeout(
      () => {
        this.wakeup = undefined;
        this.onDue();
      },
      Math.max(0, Math.ceil(earliest - performance.now())),
    );
    this.wakeup.unref();
  }
}
