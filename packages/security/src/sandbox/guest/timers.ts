// setTimeout and friends in the sandbox. The host keeps the timers (guest-timers.ts): a timer fires
// only while a call of the plugin is running, under that call's deadline, and a timer still
// pending when the call that set it ends is dropped and never fires. A call does not wait for its
// timers: an async handler that awaits one (`await new Promise((r) => setTimeout(r, 100))`) works
// within its deadline; one it does not await is dropped when the handler settles.
import type { GuestHost } from './guest-host';

/** The longest delay a browser honours (2^31 - 1 ms); longer ones are clamped to it. */
const MAX_DELAY = 2_147_483_647;
const apply = Reflect.apply;
const resolved = Promise.resolve();
const then = Promise.prototype.then;

export interface Timers {
  setTimeout(callback: (...args: unknown[]) => unknown, delay?: number, ...args: unknown[]): number;
  clearTimeout(id?: unknown): void;
  setInterval(callback: (...args: unknown[]) => unknown, delay?: number, ...args: unknown[]): number;
  clearInterval(id?: unknown): void;
  queueMicrotask(callback: () => unknown): void;
}

function toDelay(delay: unknown): number {
  const ms = Number(delay);
  if (!(ms > 0)) return 0;
  return ms > MAX_DELAY ? MAX_DELAY : Math.floor(ms);
}

export function createTimers(host: GuestHost): Timers {
  function schedule(callback: unknown, delay: unknown, args: unknown[], repeat: boolean): number {
    if (typeof callback !== 'function') throw new TypeError('the callback must be a function (strings of code are not run)');
    const fn = callback as (...values: unknown[]) => unknown;
    const run = args.length === 0 ? () => apply(fn, undefined, []) : () => apply(fn, undefined, args);
    return host.setTimer(run, toDelay(delay), repeat);
  }
  function clear(id: unknown): void {
    if (typeof id === 'number') host.clearTimer(id);
  }
  return {
    setTimeout: (callback, delay, ...args) => schedule(callback, delay, args, false),
    clearTimeout: clear,
    setInterval: (callback, delay, ...args) => schedule(callback, delay, args, true),
    clearInterval: clear,
    queueMicrotask(callback) {
      if (typeof callback !== 'function') throw new TypeError('the callback must be a function');
      // A throw rejects this derived promise, which the guest reports as an unhandled rejection —
      // how an uncaught error in a microtask surfaces.
      void apply(then, resolved, [() => apply(callback, undefined, [])]);
    },
  };
}
