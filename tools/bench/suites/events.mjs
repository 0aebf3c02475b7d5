// P1 / P1m: the hook bus against tapable, hookable and eventemitter3 with the same 10 handlers.
// P1 holds twice: the bus as a host gets it (`new HookBus()`: history and metrics on) against
// tapable timing each call through an interceptor, and the bus with observability off against
// plain tapable. P1m is what observability costs per handler, in clock reads.
import EventEmitter from 'eventemitter3';
import { createHooks } from 'hookable';
import tapable from 'tapable';
import { HookBus } from '@marathon/events';
import { measure } from '../lib/measure.mjs';
import { result, table } from '../lib/report.mjs';
import { taskEvent } from '../lib/task-event.mjs';

const HANDLERS = 10;
const HOOK = 'post_task_execute';

const event = taskEvent;

let sink = 0;
// The same handlers for every library: they read the event and return nothing, which every peer
// takes as "go on" (a tapable bail hook stops at the first value that is not undefined). Each
// contender gets its own instances of them, so that what V8 learns inlining them into one library
// does not carry over to another.
const syncHandlers = () =>
  Array.from({ length: HANDLERS }, (_, i) => (data) => {
    sink += data.result.exit_code + i;
  });
const asyncHandlers = () =>
  Array.from({ length: HANDLERS }, (_, i) => async (data) => {
    sink += data.result.exit_code + i;
  });

/** `observed` undefined: the default configuration, which is history and metrics on. */
function marathonBus(handlers, observed) {
  const bus = observed === undefined ? new HookBus() : new HookBus({ history: observed, metrics: observed });
  handlers.forEach((handler, i) => bus.register(HOOK, handler, { owner: `plugin-${i}` }));
  return bus;
}

function tapableHook(Kind, handlers, tap) {
  const hook = new Kind(['data']);
  handlers.forEach((handler, i) => hook[tap](`plugin-${i}`, handler));
  return hook;
}

// What the default bus records, done the way a tapable user would: a register interceptor wraps each
// tap to time it and append { name, duration, ok } to a bounded log (a ring as large as the bus's
// default history). Two clock reads per call, one record object per call.
const TIMING_LOG_CAPACITY = 1000;
function timedTapableHook(Kind, handlers, tap) {
  const hook = new Kind(['data']);
  const log = new Array(TIMING_LOG_CAPACITY);
  let next = 0;
  const append = (name, started, ok) => {
    log[next] = { name, duration: performance.now() - started, ok };
    next = next + 1 === TIMING_LOG_CAPACITY ? 0 : next + 1;
  };
  const wrap = {
    sync: (name, fn) => (data) => {
      const started = performance.now();
      try {
        const value = fn(data);
        append(name, started, true);
        return value;
      } catch (error) {
        append(name, started, false);
        throw error;
      }
    },
    promise: (name, fn) => (data) => {
      const started = performance.now();
      return fn(data).then(
        (value) => {
          append(name, started, true);
          return value;
        },
        (error) => {
          append(name, started, false);
          throw error;
        },
      );
    },
  };
  hook.intercept({ register: (info) => ({ ...info, fn: wrap[info.type](info.name, info.fn) }) });
  handlers.forEach((handler, i) => hook[tap](`plugin-${i}`, handler));
  return hook;
}

function hookableHooks(handlers) {
  const hooks = createHooks();
  for (const handler of handlers) hooks.hook(HOOK, handler);
  return hooks;
}

function emitter(handlers) {
  const ee = new EventEmitter();
  for (const handler of handlers) ee.on(HOOK, handler);
  return ee;
}

const OFF = 'marathon (history+metrics off)';
const ON = 'marathon default (history+metrics on)';
const TIMED = 'tapable + timing interceptor';
const CLOCK = `performance.now() × ${HANDLERS} (P1m's unit)`;

async function syncScenario(quick) {
  const batch = 1000;
  const off = marathonBus(syncHandlers(), false);
  const on = marathonBus(syncHandlers());
  const tap = tapableHook(tapable.SyncBailHook, syncHandlers(), 'tap');
  const timed = timedTapableHook(tapable.SyncBailHook, syncHandlers(), 'tap');
  const hooks = hookableHooks(syncHandlers());
  const ee = emitter(syncHandlers());
  // Sanity: every contender runs all ten handlers.
  const before = sink;
  off.dispatch(HOOK, event);
  on.dispatch(HOOK, event);
  tap.call(event);
  timed.call(event);
  hooks.callHook(HOOK, event);
  ee.emit(HOOK, event);
  if (sink - before !== 6 * (45 + 0)) throw new Error('a contender did not run every handler');
  return measure(
    [
      {
        name: OFF,
        fn: () => {
          for (let i = 0; i < batch; i++) off.dispatch(HOOK, event);
        },
      },
      {
        name: ON,
        fn: () => {
          for (let i = 0; i < batch; i++) on.dispatch(HOOK, event);
        },
      },
      {
        name: 'tapable SyncBailHook',
        fn: () => {
          for (let i = 0; i < batch; i++) tap.call(event);
        },
      },
      {
        name: TIMED,
        fn: () => {
          for (let i = 0; i < batch; i++) timed.call(event);
        },
      },
      {
        name: 'hookable callHook',
        fn: () => {
          for (let i = 0; i < batch; i++) hooks.callHook(HOOK, event);
        },
      },
      {
        name: 'eventemitter3 emit (floor)',
        fn: () => {
          for (let i = 0; i < batch; i++) ee.emit(HOOK, event);
        },
      },
      {
        name: CLOCK,
        fn: () => {
          for (let i = 0; i < batch; i++) clockReads();
        },
      },
    ],
    { batch, quick },
  );
}

async function asyncScenario(quick) {
  const batch = 100;
  const off = marathonBus(asyncHandlers(), false);
  const on = marathonBus(asyncHandlers());
  const tap = tapableHook(tapable.AsyncSeriesBailHook, asyncHandlers(), 'tapPromise');
  const timed = timedTapableHook(tapable.AsyncSeriesBailHook, asyncHandlers(), 'tapPromise');
  const hooks = hookableHooks(asyncHandlers());
  return measure(
    [
      {
        name: OFF,
        fn: async () => {
          for (let i = 0; i < batch; i++) await off.dispatch(HOOK, event);
        },
      },
      {
        name: ON,
        fn: async () => {
          for (let i = 0; i < batch; i++) await on.dispatch(HOOK, event);
        },
      },
      {
        name: 'tapable AsyncSeriesBailHook',
        fn: async () => {
          for (let i = 0; i < batch; i++) await tap.promise(event);
        },
      },
      {
        name: TIMED,
        fn: async () => {
          for (let i = 0; i < batch; i++) await timed.promise(event);
        },
      },
      {
        name: 'hookable callHook',
        fn: async () => {
          for (let i = 0; i < batch; i++) await hooks.callHook(HOOK, event);
        },
      },
    ],
    { batch, quick },
  );
}

// Context for P1m: the same on/off comparison when each handler does about a microsecond of work
// (serialising the event, as a handler crossing into a sandbox does), instead of next to nothing.
async function workScenario(quick) {
  const batch = 100;
  const working = Array.from({ length: HANDLERS }, () => (data) => {
    sink += JSON.stringify(data).length;
  });
  const off = marathonBus(working, false);
  const on = marathonBus(working);
  return measure(
    [
      {
        name: OFF,
        fn: () => {
          for (let i = 0; i < batch; i++) off.dispatch(HOOK, event);
        },
      },
      {
        name: ON,
        fn: () => {
          for (let i = 0; i < batch; i++) on.dispatch(HOOK, event);
        },
      },
    ],
    { batch, quick },
  );
}

/** P1m's unit: one performance.now() per handler, measured as a contender so that it shares their rounds. */
function clockReads() {
  let last = 0;
  for (let i = 0; i < HANDLERS; i++) last = performance.now();
  // Kept, so that the reads are not optimised away.
  if (last === 0) sink += 1;
}

const PEERS = ['tapable', 'hookable'];

/** The fastest plain peer: tapable or hookable as they come, without the timing interceptor. */
function fasterPeer(figures) {
  let best;
  for (const [name, ops] of figures) {
    const peer = PEERS.find((p) => name.startsWith(p));
    if (peer !== undefined && name !== TIMED && (best === undefined || ops > best.ops)) best = { peer, ops };
  }
  return best;
}

const worst = (items, key) => items.reduce((a, b) => (key(b) < key(a) ? b : a));

export async function run({ quick = false } = {}) {
  const scenarios = [
    ['sync handlers', await syncScenario(quick)],
    ['async handlers', await asyncScenario(quick)],
  ];
  const work = await workScenario(quick);
  const clockNs = 1e9 / scenarios[0][1].get(CLOCK) / HANDLERS;
  const rows = [['scenario', 'contender', 'dispatches/s', 'vs marathon off']];
  const p1 = [];
  const p1Timed = [];
  const p1m = [];
  for (const [scenario, figures] of scenarios) {
    const off = figures.get(OFF);
    const on = figures.get(ON);
    for (const [name, ops] of figures) if (name !== CLOCK) rows.push([scenario, name, ops, `${(ops / off).toFixed(2)}×`]);
    const peer = fasterPeer(figures);
    p1.push({ scenario, peer: peer.peer, ratio: off / peer.ops });
    p1Timed.push({ scenario, ratio: on / figures.get(TIMED) });
    // Seconds per dispatch on and off; what observing adds, in clock reads per handler.
    const addedNs = (1 / on - 1 / off) * 1e9;
    p1m.push({ scenario, addedNs, reads: addedNs / (HANDLERS * clockNs) });
  }
  const workOff = work.get(OFF);
  for (const [name, ops] of work) rows.push(['handlers doing ~1 µs of work', name, ops, `${(ops / workOff).toFixed(2)}×`]);
  const worstP1 = worst(p1, (p) => p.ratio);
  const worstP1Timed = worst(p1Timed, (p) => p.ratio);
  const worstP1m = worst(p1m, (p) => -p.reads);
  const notes = [
    `${HANDLERS} handlers on one hook, the same functions for every library; ops are whole dispatches.`,
    `"${ON}" is \`new HookBus()\`; "${TIMED}" wraps every tap to time it and append { name, duration, ok } to a ring of ${TIMING_LOG_CAPACITY}.`,
    ...p1.map((p) => `P1 ${p.scenario}: marathon (off) ÷ ${p.peer} = ${p.ratio.toFixed(2)}`),
    ...p1Timed.map((p) => `P1 ${p.scenario}: marathon default ÷ tapable + timing interceptor = ${p.ratio.toFixed(2)}`),
    ...p1m.map((p) => `P1m ${p.scenario}: on adds ${p.addedNs.toFixed(0)} ns per dispatch = ${p.reads.toFixed(2)} clock reads per handler`),
    `Context, not a goal: with handlers doing ~1 µs of work, on ÷ off = ${(work.get(ON) / workOff).toFixed(2)}.`,
    `P1m's unit: a performance.now() read took ${clockNs.toFixed(1)} ns in this run (measured ` +
      `alongside the sync contenders). The bus times handlers with one read between consecutive ` +
      `handlers (n + 1 per dispatch), so 1.1 reads per handler is the floor for ${HANDLERS} handlers.`,
  ];
  return {
    title: 'events: hook bus vs tapable, hookable, eventemitter3',
    table: table(rows),
    notes,
    results: [
      result('P1', `ratio_vs_${worstP1.peer}`, worstP1.ratio, '>=', 1.0),
      result('P1', 'ratio_default_vs_tapable_timing', worstP1Timed.ratio, '>=', 1.0),
      result('P1m', 'clock_reads_per_handler', worstP1m.reads, '<=', 1.2),
    ],
    sink,
  };
}
