import type { DispatchOutcome } from '@marathon/events';
import { CompiledDispatch } from '../src/compile-dispatch';
import { Outcome } from '../src/dispatch-outcome';
import { BLOCK_SIZE, dispatchSource, FACTORY_PARAMS } from '../src/dispatch-source';
import { Dispatcher, type HandlerList } from '../src/dispatcher';
import type { HandlerEntry } from '../src/handler-entry';
import { IMPLICIT_SUCCESS } from '../src/handler-result';
import { EventHistory } from '../src/history';
import { LifecycleEvents } from '../src/lifecycle';
import { HookMetricsTable } from '../src/metrics';

// The generated code is the one dispatcher; its text is pinned: a change to it shows up here as a
// diff to review. The behaviour tests (hook-bus.test.ts) run on it with observability off and on.
describe('generated dispatch', () => {
  it('is a straight line with one call site per handler, without timing while not observing', () => {
    expect(dispatchSource({ base: 0, count: 2, timed: false, chained: false })).toMatchSnapshot();
  });

  it('reads the clock once between consecutive handlers while observing', () => {
    const source = dispatchSource({ base: 0, count: 2, timed: true, chained: false });
    expect(source).toMatchSnapshot();
    // One read to start, one after each handler in start; one after each handler in resume.
    const start = source.slice(0, source.indexOf('function resume'));
    expect(start.match(/performance\.now\(\)/g)).toHaveLength(3);
  });

  it('passes a chained block on to the next with the clock that starts it', () => {
    expect(dispatchSource({ base: BLOCK_SIZE, count: 1, timed: true, chained: true })).toMatchSnapshot();
  });

  it('grows linearly in a block', () => {
    for (const timed of [false, true]) {
      const lines = (count: number) => dispatchSource({ base: 0, count, timed, chained: false }).split('\n').length;
      expect(lines(BLOCK_SIZE)).toBe(lines(1) + (lines(2) - lines(1)) * (BLOCK_SIZE - 1));
    }
  });

  it('is valid JavaScript for every shape it is used for', () => {
    for (const count of [0, 1, 7, BLOCK_SIZE]) {
      for (const timed of [false, true]) {
        for (const chained of [false, true]) {
          expect(() => new Function(...FACTORY_PARAMS, dispatchSource({ base: BLOCK_SIZE, count, timed, chained }))).not.toThrow();
        }
      }
    }
  });
});

// A list longer than a block runs as a chain of blocks; the chain is as deep as the blocks, so a
// very long list of synchronous handlers does not exhaust the stack on any path. The list is made
// here rather than by registering (which copies the list per handler: minutes for this many);
// `special` is what handler `at` does.
describe.each([
  ['observability off', false],
  ['observability on', true],
])('a list of many blocks, %s', (_mode, observed) => {
  const COUNT = 20_000;
  const hook = 'post_task_execute';
  const event = { task: { id: '1' } };
  let ran: number[] = [];
  let at = -1;
  let special: () => unknown = () => undefined;
  const entries: HandlerEntry[] = Array.from({ length: COUNT }, (_, i) => {
    const owner = `p${i}`;
    return {
      handler: () => (i === at ? (special() as undefined) : void ran.push(i)),
      info: { hook, owner },
      hook,
      owner,
      priority: 0,
      canWrite: false,
      timeoutMs: 5000,
      cell: new HookMetricsTable().cell(owner, hook),
      implicit: { plugin: owner, result: IMPLICIT_SUCCESS },
      active: true,
    };
  });
  const list: HandlerList = {
    hook,
    entries,
    owners: entries.map((entry) => entry.owner),
    implicit: entries.map((entry) => entry.implicit),
    veto: false,
  };
  const dispatcher = new Dispatcher(new EventHistory(10), new LifecycleEvents(), 1000);
  dispatcher.historyOn = dispatcher.metricsOn = dispatcher.observing = observed;
  dispatcher.watchdog.need(5000);
  const code = new CompiledDispatch(list, dispatcher);
  const dispatch = (index: number, does: () => unknown) => {
    ran = [];
    at = index;
    special = does;
    return code.current().start(new Outcome(hook, event, list.implicit) as Outcome<unknown>);
  };

  it('runs every handler, in order, on the straight path', () => {
    const outcome = dispatch(-1, () => undefined) as DispatchOutcome;
    expect(ran).toHaveLength(COUNT);
    expect(ran[COUNT - 1]).toBe(COUNT - 1);
    expect(outcome.results).toBe(list.implicit);
  });

  it('resumes from the middle of a block after an explicit result', () => {
    const outcome = dispatch(BLOCK_SIZE + 3, () => ({ success: true })) as DispatchOutcome;
    expect(ran).toHaveLength(COUNT - 1);
    expect(outcome.results).toHaveLength(COUNT);
    expect(outcome.results[BLOCK_SIZE + 3]).toEqual({ plugin: `p${BLOCK_SIZE + 3}`, result: { success: true } });
    expect(outcome.results[COUNT - 1]).toBe(entries[COUNT - 1]!.implicit);
  });

  it('resumes after an async handler in a later block', async () => {
    const outcome = await dispatch(COUNT - BLOCK_SIZE - 5, async () => undefined);
    expect(ran).toHaveLength(COUNT - 1);
    expect(ran.slice(-2)).toEqual([COUNT - 2, COUNT - 1]);
    expect(outcome.results).toHaveLength(COUNT);
  });

  it('goes on past an unregistered entry in a later block', () => {
    entries[2 * BLOCK_SIZE + 1]!.active = false;
    const outcome = dispatch(-1, () => undefined) as DispatchOutcome;
    entries[2 * BLOCK_SIZE + 1]!.active = true;
    expect(ran).toHaveLength(COUNT - 1);
    expect(outcome.results).toHaveLength(COUNT - 1);
  });

  it('stops where a handler in a later block stops the chain', () => {
    const outcome = dispatch(3 * BLOCK_SIZE, () => ({ success: true, continue_chain: false })) as DispatchOutcome;
    expect(ran).toHaveLength(3 * BLOCK_SIZE);
    expect(outcome.stoppedBy).toBe(`p${3 * BLOCK_SIZE}`);
  });
});
