// Guest time slicing. Guest code runs only inside a call, in slices (evaluating the main module,
// calling a handler, running queued promise jobs, firing a timer), each under an interrupt deadline:
// the earliest deadline of the calls running now, or the end of the plugin's CPU budget if that
// comes first. QuickJS polls the interrupt handler while guest code runs, so a loop that never
// returns is stopped at the deadline. Every slice counts towards the plugin's CPU time, and while
// one runs, the worker's shared activity slot names the plugin (worker-progress.ts), so that the
// host's watchdog blames it if the whole worker has to be stopped.
import type { QuickJSRuntime } from 'quickjs-emscripten-core';
import { Breach } from './breach';
import { cpuLimitMessage, deadlineMessage } from './breach-message';
import type { WorkerPluginSpec } from './protocol';
import { ACTIVITY_SLOT } from './worker-progress';

/** A call running in the instance (or a guard: a short deadline of the host's own). */
export interface ActiveCall {
  deadline: number;
  /** The deadline as a duration, for the message that reports it. */
  ms: number;
}

export class GuestClock {
  /** CPU time the plugin's guest code has used so far, in ms. */
  cpuMs = 0;
  /** The calls running now; guest code runs only while there is one. */
  readonly calls = new Set<ActiveCall>();
  private sliceLimit = Number.POSITIVE_INFINITY;
  private interrupted = false;
  /** Calls waiting for a guest promise to move (an async host operation ended, a timer fired). */
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly spec: WorkerPluginSpec,
    /** The worker's shared progress (worker-progress.ts), when it has one. */
    private readonly activity: Int32Array | undefined,
  ) {}

  /** Makes QuickJS stop guest code that runs past the current slice's limit. */
  attach(runtime: QuickJSRuntime): void {
    runtime.setInterruptHandler(() => {
      if (performance.now() <= this.sliceLimit) return false;
      this.interrupted = true;
      return true;
    });
  }

  earliestDeadline(): number {
    let deadline = Number.POSITIVE_INFINITY;
    for (const call of this.calls) deadline = Math.min(deadline, call.deadline);
    return deadline;
  }

  /** The breach of the call whose deadline passed (the earliest active one unless `call` is given). */
  deadlineBreach(call?: ActiveCall): Breach {
    let due = call;
    if (due === undefined) for (const active of this.calls) if (due === undefined || active.deadline < due.deadline) due = active;
    const ms = due?.ms ?? this.spec.limits.call_deadline_ms;
    return new Breach('DEADLINE_EXCEEDED', deadlineMessage(this.spec.name, ms));
  }

  /**
   * Runs one slice of guest code under the earliest active deadline and the remaining CPU budget.
   * What goes wrong — a host-side exception out of the engine, or the limit the slice ran past —
   * goes through `fail`, which drops the instance and gives the breach to throw.
   */
  slice<T>(run: () => T, fail: (error: unknown) => Breach): T {
    const started = performance.now();
    const deadline = this.earliestDeadline();
    const activity = this.activity;
    const before = activity === undefined ? 0 : Atomics.exchange(activity, ACTIVITY_SLOT, this.spec.key);
    const cpuLeft = this.spec.limits.max_cpu_time_ms - this.cpuMs;
    this.sliceLimit = Math.min(deadline, started + cpuLeft);
    const cpuBound = started + cpuLeft < deadline;
    this.interrupted = false;
    let result: T;
    try {
      result = run();
    } catch (error) {
      throw fail(error);
    } finally {
      this.cpuMs += performance.now() - started;
      this.sliceLimit = Number.POSITIVE_INFINITY;
      if (activity !== undefined) Atomics.store(activity, ACTIVITY_SLOT, before);
    }
    if (this.interrupted) {
      throw fail(cpuBound ? new Breach('CPU_LIMIT_EXCEEDED', cpuLimitMessage(this.spec.name, this.spec.limits)) : this.deadlineBreach());
    }
    return result;
  }

  /** Waits until the guest may have moved on (see `progressed`) or `deadline` passes; true when it passed. */
  waitForProgress(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(
        () => {
          this.waiters.delete(wake);
          resolve(true);
        },
        Math.max(0, deadline - performance.now()),
      );
      this.waiters.add(wake);
    });
  }

  /** Wakes every waiting call to look at its promise again. */
  progressed(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}
