import { failure, success, VETO_HOOK_TYPES, HOOK_TYPES, type HookResult, type TaskEvent } from '@marathon/plugin-api';
import { EventsError, HookBus, type DispatchOutcome } from '@marathon/events';

const task = (id: string): TaskEvent => ({
  task: { id, name: 'build', command: 'make', args: [], submitted_by: 'ada', submitted_at: '2026-11-25T12:00:00Z' },
});

// Every behaviour holds in both variants of the generated dispatch: plain (history and metrics
// off) and timed (on).
describe.each([
  ['history and metrics off', false],
  ['history and metrics on', true],
])('%s', (_path, observed) => {
  function quietBus(options: { handlerTimeoutMs?: number } = {}) {
    return new HookBus({ ...options, history: observed, metrics: observed });
  }

  describe('order', () => {
    it('runs higher priorities first, ties in registration order', async () => {
      const bus = quietBus();
      const ran: string[] = [];
      const add = (owner: string, priority?: number) =>
        bus.register('post_task_execute', () => void ran.push(owner), priority === undefined ? { owner } : { owner, priority });
      add('a');
      add('b', 10);
      add('c');
      add('d', 10);
      add('e', -5);
      add('f', 100);
      const outcome = await bus.dispatch('post_task_execute', task('1'));
      expect(ran).toEqual(['f', 'b', 'd', 'a', 'c', 'e']);
      expect(outcome.results.map((r) => r.plugin)).toEqual(ran);
      expect(bus.handlers('post_task_execute').map((h) => `${h.owner}:${h.priority}`)).toEqual([
        'f:100',
        'b:10',
        'd:10',
        'a:0',
        'c:0',
        'e:-5',
      ]);
    });

    it('treats a handler returning nothing as success', () => {
      const bus = quietBus();
      bus.register('post_task_submit', () => undefined, { owner: 'quiet' });
      const outcome = bus.dispatch('post_task_submit', task('1')) as DispatchOutcome;
      expect(outcome.results).toEqual([{ plugin: 'quiet', result: { success: true, continue_chain: true } }]);
    });

    it('returns an outcome for a hook nobody handles', () => {
      expect(quietBus().dispatch('plugin_install', { plugin: { name: 'x', version: '1.0.0' } })).toEqual({
        hook: 'plugin_install',
        data: { plugin: { name: 'x', version: '1.0.0' } },
        results: [],
        vetoed: false,
      });
    });
  });

  describe('written data', () => {
    // Issue 13 (8): result_data: null from a task_write plugin reached the host as the task event.
    it.each([null, [], 'text', 3])('refuses result_data %p from a writer: the call fails, the event stays', async (data) => {
      const bus = quietBus();
      bus.register('pre_task_submit', () => ({ success: true, result_data: data }) as HookResult, { owner: 'writer', canWrite: true });
      const event = task('1');
      const outcome = await bus.dispatch('pre_task_submit', event);
      expect(outcome.data).toBe(event);
      expect(outcome).toMatchObject({ vetoed: true, vetoedBy: 'writer' });
      expect(outcome.results[0]).toMatchObject({ fault: 'invalid_result', result: { success: false } });
      expect(outcome.vetoReason).toMatch(/^plugin 'writer' vetoed pre_task_submit: returned result_data that is not an event object \(/);
    });

    it('passes an object on as the next event', async () => {
      const bus = quietBus();
      bus.register('pre_task_submit', () => success('rewrote', task('2') as never), { owner: 'writer', canWrite: true });
      const outcome = await bus.dispatch('pre_task_submit', task('1'));
      expect((outcome.data as { task: { id: string } }).task.id).toBe('2');
    });
  });

  describe('chain control', () => {
    it('stops at continue_chain: false and says who stopped it', async () => {
      const bus = quietBus();
      const ran: string[] = [];
      bus.register('post_task_execute', () => void ran.push('first'), { owner: 'first', priority: 2 });
      bus.register('post_task_execute', () => ({ success: true, continue_chain: false }), { owner: 'stopper', priority: 1 });
      bus.register('post_task_execute', () => void ran.push('never'), { owner: 'late' });
      const outcome = await bus.dispatch('post_task_execute', task('1'));
      expect(ran).toEqual(['first']);
      expect(outcome.stoppedBy).toBe('stopper');
      expect(outcome.vetoed).toBe(false);
      expect(outcome.results.map((r) => r.plugin)).toEqual(['first', 'stopper']);
    });

    it('lets a failure pass on hooks that cannot veto', async () => {
      const bus = quietBus();
      bus.register('post_task_execute', () => failure('could not log'), { owner: 'logger', priority: 1 });
      bus.register('post_task_execute', () => success('notified'), { owner: 'notifier' });
      const outcome = await bus.dispatch('post_task_execute', task('1'));
      expect(outcome.vetoed).toBe(false);
      expect(outcome.results.map((r) => r.result.success)).toEqual([false, true]);
    });
  });

  describe('veto', () => {
    const eventFor: Record<string, unknown> = {
      pre_task_submit: task('1'),
      pre_task_execute: task('1'),
      user_auth: { username: 'ada', method: 'password' },
      user_authz: { username: 'ada', action: 'run', resource: 'task/1' },
      cli_command: { command: 'plugin:list', args: [] },
      config_validate: { config: { workers: 4 } },
    };

    it('covers exactly the veto-capable hooks', () => {
      expect(Object.keys(eventFor).sort()).toEqual([...VETO_HOOK_TYPES].sort());
    });

    it.each([...VETO_HOOK_TYPES])('%s: a failed result vetoes, names the plugin and its reason, and stops the chain', async (hook) => {
      const bus = quietBus();
      const ran: string[] = [];
      bus.register(hook, () => void ran.push('ok'), { owner: 'first', priority: 2 });
      bus.register(hook, () => failure('not on a Sunday'), { owner: 'policy', priority: 1 });
      bus.register(hook, () => void ran.push('never'), { owner: 'after' });
      const outcome = await bus.dispatch(hook, eventFor[hook] as never);
      expect(outcome.vetoed).toBe(true);
      expect(outcome.vetoedBy).toBe('policy');
      expect(outcome.vetoReason).toBe(`plugin 'policy' vetoed ${hook}: not on a Sunday`);
      expect(ran).toEqual(['ok']);
    });

    // Issue 13 (2): a plugin with the highest priority returned continue_chain: false and every
    // veto after it was never heard.
    it.each([...VETO_HOOK_TYPES])('%s: continue_chain: false cannot silence a later veto', async (hook) => {
      const bus = quietBus();
      const ran: string[] = [];
      bus.register(hook, () => ({ success: true, continue_chain: false }), { owner: 'silencer', priority: 1_000_000 });
      bus.register(hook, () => void ran.push('middle'), { owner: 'middle', priority: 5 });
      bus.register(hook, () => failure('dd to a device'), { owner: 'task-policy' });
      const outcome = await bus.dispatch(hook, eventFor[hook] as never);
      expect(ran).toEqual(['middle']);
      expect(outcome).toMatchObject({
        vetoed: true,
        vetoedBy: 'task-policy',
        vetoReason: `plugin 'task-policy' vetoed ${hook}: dd to a device`,
      });
      expect(outcome.stoppedBy).toBeUndefined();
    });

    it.each([...VETO_HOOK_TYPES])('%s: a throw vetoes too', async (hook) => {
      const bus = quietBus();
      bus.register(
        hook,
        () => {
          throw new Error('database down');
        },
        { owner: 'auth' },
      );
      const outcome = await bus.dispatch(hook, eventFor[hook] as never);
      expect(outcome).toMatchObject({ vetoed: true, vetoedBy: 'auth', vetoReason: `plugin 'auth' vetoed ${hook}: threw: database down` });
      expect(outcome.results[0]?.fault).toBe('threw');
    });

    it('a timeout vetoes', async () => {
      const bus = quietBus();
      bus.register('user_authz', () => new Promise<HookResult>(() => {}), { owner: 'slow', timeoutMs: 20 });
      const outcome = await bus.dispatch('user_authz', { username: 'ada', action: 'run', resource: 'x' });
      expect(outcome).toMatchObject({
        vetoed: true,
        vetoedBy: 'slow',
        vetoReason: "plugin 'slow' vetoed user_authz: timed out after 20 ms",
      });
    });

    it('a result that is not a HookResult vetoes', async () => {
      const bus = quietBus();
      bus.register('config_validate', (() => 'yes') as never, { owner: 'sloppy' });
      const outcome = await bus.dispatch('config_validate', { config: {} });
      expect(outcome.vetoReason).toBe("plugin 'sloppy' vetoed config_validate: returned a string instead of a HookResult");
      expect(outcome.results[0]?.fault).toBe('invalid_result');
    });

    it('a failure without a message still says who vetoed', async () => {
      const bus = quietBus();
      bus.register('pre_task_submit', () => ({ success: false }), { owner: 'terse' });
      expect((await bus.dispatch('pre_task_submit', task('1'))).vetoReason).toBe("plugin 'terse' vetoed pre_task_submit: no reason given");
    });
  });

  describe('waterfall', () => {
    const rename = (name: string) => (event: TaskEvent) => success('renamed', { task: { ...event.task, name } });

    it('passes result_data on from handlers that may write', async () => {
      const bus = quietBus();
      const seen: string[] = [];
      bus.register('pre_task_submit', rename('first'), { owner: 'a', priority: 3, canWrite: true });
      bus.register('pre_task_submit', (event) => void seen.push(event.task.name), { owner: 'b', priority: 2 });
      bus.register('pre_task_submit', rename('second'), { owner: 'c', priority: 1, canWrite: true });
      const outcome = await bus.dispatch('pre_task_submit', task('1'));
      expect(seen).toEqual(['first']);
      expect(outcome.data.task.name).toBe('second');
    });

    it('ignores result_data from handlers without the write flag', async () => {
      const bus = quietBus();
      bus.register('pre_task_submit', rename('sneaky'), { owner: 'reader' });
      const input = task('1');
      const outcome = await bus.dispatch('pre_task_submit', input);
      expect(outcome.data).toBe(input);
      expect(outcome.results[0]?.result.result_data).toBeDefined();
    });

    it('ignores result_data of a failed result', async () => {
      const bus = quietBus();
      bus.register('post_task_submit', () => failure('no', { task: 'replaced' }), { owner: 'w', canWrite: true });
      const input = task('1');
      expect((await bus.dispatch('post_task_submit', input)).data).toBe(input);
    });
  });

  describe('sync and async handlers', () => {
    it('returns the outcome itself, not a promise, when every handler is synchronous', () => {
      const bus = quietBus();
      bus.register('post_task_execute', () => success(), { owner: 'a' });
      bus.register('post_task_execute', () => undefined, { owner: 'b' });
      const outcome = bus.dispatch('post_task_execute', task('1'));
      expect(outcome).not.toBeInstanceOf(Promise);
      expect((outcome as DispatchOutcome).results).toHaveLength(2);
    });

    it('keeps the order when async and sync handlers mix', async () => {
      const bus = quietBus();
      const ran: string[] = [];
      const tick = () => new Promise((resolve) => setTimeout(resolve, 2));
      bus.register('post_task_execute', () => void ran.push('sync-1'), { owner: 'a', priority: 5 });
      bus.register(
        'post_task_execute',
        async () => {
          await tick();
          ran.push('async-1');
          return success();
        },
        { owner: 'b', priority: 4 },
      );
      bus.register('post_task_execute', () => void ran.push('sync-2'), { owner: 'c', priority: 3 });
      bus.register(
        'post_task_execute',
        async () => {
          await tick();
          ran.push('async-2');
        },
        { owner: 'd', priority: 2 },
      );
      bus.register('post_task_execute', () => void ran.push('sync-3'), { owner: 'e', priority: 1 });
      const pending = bus.dispatch('post_task_execute', task('1'));
      expect(pending).toBeInstanceOf(Promise);
      expect(ran).toEqual(['sync-1']);
      const outcome = await pending;
      expect(ran).toEqual(['sync-1', 'async-1', 'sync-2', 'async-2', 'sync-3']);
      expect(outcome.results.map((r) => r.plugin)).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('turns sync throws, rejections and non-Error rejections into failed results', async () => {
      const bus = quietBus();
      bus.register(
        'post_task_execute',
        () => {
          throw new TypeError('bad field');
        },
        { owner: 'a', priority: 3 },
      );
      bus.register(
        'post_task_execute',
        async () => {
          throw new Error('network down');
        },
        { owner: 'b', priority: 2 },
      );
      bus.register('post_task_execute', () => Promise.reject('plain string'), { owner: 'c', priority: 1 });
      const outcome = await bus.dispatch('post_task_execute', task('1'));
      expect(outcome.results.map((r) => [r.plugin, r.result.message, r.fault])).toEqual([
        ['a', 'threw: bad field', 'threw'],
        ['b', 'threw: network down', 'threw'],
        ['c', 'threw: plain string', 'threw'],
      ]);
    });

    it('times out a handler that never settles, then goes on', async () => {
      const bus = quietBus({ handlerTimeoutMs: 25 });
      bus.register('post_task_execute', () => new Promise<void>(() => {}), { owner: 'stuck', priority: 1 });
      bus.register('post_task_execute', () => success('after'), { owner: 'next' });
      const outcome = await bus.dispatch('post_task_execute', task('1'));
      expect(outcome.results.map((r) => [r.plugin, r.result.success, r.result.message])).toEqual([
        ['stuck', false, 'timed out after 25 ms'],
        ['next', true, 'after'],
      ]);
    });

    it('leaves no unhandled rejection when a timed-out handler rejects later', async () => {
      const unhandled: unknown[] = [];
      const listener = (reason: unknown) => void unhandled.push(reason);
      process.on('unhandledRejection', listener);
      // On jest's fake clock: the watchdog's ticks and the late rejection happen in this order
      // however slowly the machine runs them (on a loaded one, the rejection came first).
      jest.useFakeTimers();
      try {
        const bus = quietBus();
        bus.register('post_task_execute', () => new Promise<void>((_, reject) => setTimeout(() => reject(new Error('late')), 40)), {
          owner: 'late',
          timeoutMs: 10,
        });
        const dispatched = bus.dispatch('post_task_execute', task('1'));
        await jest.advanceTimersByTimeAsync(20);
        const outcome = await dispatched;
        expect(outcome.results[0]?.fault).toBe('timeout');
        await jest.advanceTimersByTimeAsync(80);
        jest.useRealTimers();
        // Node reports an unhandled rejection once the microtasks of a turn have run.
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled).toEqual([]);
      } finally {
        jest.useRealTimers();
        process.off('unhandledRejection', listener);
      }
    });

    it('survives a thenable whose then() throws', async () => {
      const bus = quietBus();
      const evil = {
        then() {
          throw new Error('gotcha');
        },
      };
      bus.register('post_task_execute', (() => evil) as never, { owner: 'evil' });
      const outcome = await bus.dispatch('post_task_execute', task('1'));
      expect(outcome.results[0]).toMatchObject({ fault: 'threw', result: { success: false, message: 'threw: gotcha' } });
    });
  });

  describe('unregistering', () => {
    it('by handler, by registration and by owner', async () => {
      const bus = quietBus();
      const a = () => success('a');
      const b = () => success('b');
      const registration = bus.register('post_task_execute', b, { owner: 'p2' });
      bus.register('post_task_execute', a, { owner: 'p1' });
      bus.register('pre_task_submit', () => success(), { owner: 'p1' });
      bus.register('user_auth', () => success(), { owner: 'p1' });
      expect(bus.unregister('post_task_execute', a)).toBe(true);
      expect(bus.unregister('post_task_execute', a)).toBe(false);
      expect(registration.unregister()).toBe(true);
      expect(registration.unregister()).toBe(false);
      expect(bus.unregisterOwner('p1')).toBe(2);
      for (const hook of HOOK_TYPES) expect(bus.handlers(hook)).toEqual([]);
    });

    it('skips an owner unregistered by a handler earlier in the same dispatch', async () => {
      const bus = quietBus();
      const ran: string[] = [];
      bus.register(
        'post_task_execute',
        () => {
          bus.unregisterOwner('victim');
          ran.push('disabler');
        },
        { owner: 'disabler', priority: 2 },
      );
      bus.register('post_task_execute', () => void ran.push('victim'), { owner: 'victim', priority: 1 });
      bus.register('post_task_execute', () => void ran.push('bystander'), { owner: 'bystander' });
      const outcome = await bus.dispatch('post_task_execute', task('1'));
      expect(ran).toEqual(['disabler', 'bystander']);
      expect(outcome.results.map((r) => r.plugin)).toEqual(['disabler', 'bystander']);
    });

    it('skips an owner unregistered while an async dispatch is in flight, and the next dispatch does not see it', async () => {
      const bus = quietBus();
      const ran: string[] = [];
      let release!: () => void;
      bus.register('post_task_execute', () => new Promise<void>((resolve) => (release = resolve)), { owner: 'waiter', priority: 2 });
      bus.register('post_task_execute', () => void ran.push('victim'), { owner: 'victim', priority: 1 });
      bus.register('pre_task_execute', () => void ran.push('victim-pre'), { owner: 'victim' });
      const pending = bus.dispatch('post_task_execute', task('1'));
      expect(bus.unregisterOwner('victim')).toBe(2);
      release();
      const outcome = await pending;
      expect(outcome.results.map((r) => r.plugin)).toEqual(['waiter']);
      await bus.dispatch('pre_task_execute', task('2'));
      expect(ran).toEqual([]);
    });

    it('lets a handler registered during a dispatch wait for the next one', async () => {
      const bus = quietBus();
      const ran: string[] = [];
      bus.register(
        'post_task_execute',
        () => {
          if (ran.length === 0) bus.register('post_task_execute', () => void ran.push('newcomer'), { owner: 'newcomer' });
          ran.push('first');
        },
        { owner: 'first' },
      );
      await bus.dispatch('post_task_execute', task('1'));
      expect(ran).toEqual(['first']);
      await bus.dispatch('post_task_execute', task('2'));
      expect(ran).toEqual(['first', 'first', 'newcomer']);
    });
  });

  it('runs more handlers than the fast path compiles, in order', async () => {
    const bus = quietBus();
    const ran: number[] = [];
    for (let i = 0; i < 70; i++) bus.register('post_task_execute', () => void ran.push(i), { owner: `p${i}`, priority: -i });
    bus.register('post_task_execute', () => failure('last one fails'), { owner: 'last', priority: -100 });
    const outcome = await bus.dispatch('post_task_execute', task('1'));
    expect(ran).toEqual([...Array(70).keys()]);
    expect(outcome.results).toHaveLength(71);
    expect(outcome.results[70]).toEqual({ plugin: 'last', result: { success: false, message: 'last one fails', continue_chain: true } });
  });
});

describe('bad input is refused at registration', () => {
  const bus = new HookBus();
  const ok = () => success();
  function registrationError(run: () => unknown): EventsError {
    try {
      run();
    } catch (error) {
      if (error instanceof EventsError) return error;
      throw error;
    }
    throw new Error('accepted');
  }

  it.each<[string, () => unknown, string, RegExp]>([
    [
      'an unknown hook',
      () => bus.register('post_task_exec' as never, ok, { owner: 'p' }),
      'UNKNOWN_HOOK',
      /unknown hook 'post_task_exec'; hooks are pre_task_submit/,
    ],
    [
      'a non-function handler',
      () => bus.register('user_auth', 'allow' as never, { owner: 'p' }),
      'INVALID_HANDLER',
      /must be a function, got string/,
    ],
    ['a null handler', () => bus.register('user_auth', null as never, { owner: 'p' }), 'INVALID_HANDLER', /got null/],
    [
      'a NaN priority',
      () => bus.register('user_auth', ok, { owner: 'p', priority: Number.NaN }),
      'INVALID_PRIORITY',
      /finite number, got NaN/,
    ],
    ['an Infinity priority', () => bus.register('user_auth', ok, { owner: 'p', priority: Infinity }), 'INVALID_PRIORITY', /got Infinity/],
    ['a string priority', () => bus.register('user_auth', ok, { owner: 'p', priority: '1' as never }), 'INVALID_PRIORITY', /got 1/],
    ['a missing owner', () => bus.register('user_auth', ok, {} as never), 'INVALID_OWNER', /needs an owner/],
    ['no options', () => bus.register('user_auth', ok, undefined as never), 'INVALID_OPTION', /options must be an object/],
    [
      'a misspelt option',
      () => bus.register('user_auth', ok, { owner: 'p', prority: 1 } as never),
      'INVALID_OPTION',
      /unknown register option 'prority'/,
    ],
    ['a negative timeout', () => bus.register('user_auth', ok, { owner: 'p', timeoutMs: -1 }), 'INVALID_TIMEOUT', /above 0/],
    ['a non-boolean canWrite', () => bus.register('user_auth', ok, { owner: 'p', canWrite: 'yes' as never }), 'INVALID_OPTION', /canWrite/],
  ])('%s', (_label, run, code, message) => {
    const error = registrationError(run);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(bus.handlers('user_auth')).toEqual([]);
  });

  it('the same handler twice on one hook', () => {
    const handler = () => success();
    bus.register('cli_command', handler, { owner: 'p' });
    const error = registrationError(() => bus.register('cli_command', handler, { owner: 'q' }));
    expect(error.code).toBe('DUPLICATE_HANDLER');
    expect(error.message).toBe('this handler is already registered for cli_command (by p); unregister it first');
    expect(() => bus.register('user_authz', handler, { owner: 'p' })).not.toThrow();
  });

  it('bad bus options', () => {
    expect(() => new HookBus({ handlerTimeoutMs: 0 })).toThrow(EventsError);
    expect(() => new HookBus({ historyCapacity: 0 })).toThrow(/capacity/);
  });

  it.each(['nope', 'toString', '__proto__', 'constructor'])('an unknown hook at dispatch: %s', (name) => {
    expect(() => bus.dispatch(name as never, {} as never)).toThrow(`unknown hook '${name}'`);
    expect(() => bus.register(name as never, ok, { owner: 'p' })).toThrow(`unknown hook '${name}'`);
    expect(bus.handlers(name as never)).toEqual([]);
  });
});
