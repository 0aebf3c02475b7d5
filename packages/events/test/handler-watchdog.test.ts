import { success, type TaskEvent } from '@marathon/plugin-api';
import { HookBus } from '@marathon/events';
import { HandlerWatchdog, type Watched } from '../src/handler-watchdog';

const task: TaskEvent = {
  task: { id: '1', name: 'n', command: 'c', args: [], submitted_by: 'u', submitted_at: '2026-01-01T00:00:00Z' },
};

function watched(timeoutMs: number, onExpire: () => void): Watched {
  return { watchPrev: undefined, watchNext: undefined, waiting: true, timeoutMs, startedAt: 0, expire: onExpire };
}

describe('handler watchdog', () => {
  // The watchdog's interval and performance.now() run on jest's fake clock: what these tests
  // check is when, in the watchdog's time, a handler expires, not how late the machine runs it.
  afterEach(() => jest.useRealTimers());

  it('never expires a handler before its timeout', () => {
    jest.useFakeTimers();
    const watchdog = new HandlerWatchdog();
    watchdog.need(40);
    const started = performance.now();
    let expiredAfter = -1;
    const item = watched(40, () => {
      expiredAfter = performance.now() - started;
      watchdog.unwatch(item);
    });
    watchdog.watch(item);
    (item as { startedAt: number }).startedAt = watchdog.now;
    jest.advanceTimersByTime(39);
    expect(expiredAfter).toBe(-1);
    jest.advanceTimersByTime(161);
    expect(expiredAfter).toBeGreaterThanOrEqual(40);
  });

  it('leaves a handler alone once it is no longer waiting', () => {
    jest.useFakeTimers();
    const watchdog = new HandlerWatchdog();
    watchdog.need(10);
    let expired = 0;
    const item = watched(10, () => void (expired += 1));
    watchdog.watch(item);
    (item as { waiting: boolean }).waiting = false;
    jest.advanceTimersByTime(60);
    expect(expired).toBe(0);
    watchdog.unwatch(item);
  });

  it('times out several concurrent dispatches independently', async () => {
    jest.useFakeTimers();
    const bus = new HookBus({ history: false, metrics: false });
    bus.register(
      'post_task_execute',
      (event) => (event.task.id === 'stuck' ? new Promise<void>(() => {}) : Promise.resolve(success('ok'))),
      {
        owner: 'p',
        timeoutMs: 30,
      },
    );
    const stuck = { ...task, task: { ...task.task, id: 'stuck' } };
    const dispatched = Promise.all([
      bus.dispatch('post_task_execute', stuck),
      bus.dispatch('post_task_execute', task),
      bus.dispatch('post_task_execute', stuck),
    ]);
    await jest.advanceTimersByTimeAsync(100);
    const outcomes = await dispatched;
    expect(outcomes.map((outcome) => outcome.results[0]?.fault ?? 'ok')).toEqual(['timeout', 'ok', 'timeout']);
  });

  it('does not keep the process alive on its own', async () => {
    const bus = new HookBus();
    bus.register('post_task_execute', async () => success(), { owner: 'p' });
    await bus.dispatch('post_task_execute', task);
    const timer = (bus as unknown as { dispatcher: { watchdog: { timer?: NodeJS.Timeout } } }).dispatcher.watchdog.timer;
    expect(timer?.hasRef()).toBe(false);
  });
});

describe('switching observability while async dispatches are in flight', () => {
  it('records only calls that began while it was on', async () => {
    const bus = new HookBus({ history: false, metrics: false });
    let release!: () => void;
    bus.register('post_task_execute', () => new Promise<void>((resolve) => (release = resolve)), { owner: 'slow', priority: 1 });
    bus.register('post_task_execute', () => success(), { owner: 'after' });
    const pending = bus.dispatch('post_task_execute', task);
    bus.configure({ history: true, metrics: true });
    release();
    await pending;
    const records = bus.history.all();
    expect(records.map((record) => record.plugin_name)).toEqual(['after']);
    expect(records[0]!.duration_ns).toBeLessThan(1e9);
  });
});

describe('a lifecycle listener that throws', () => {
  it('fails the dispatch with its error instead of leaving it pending', async () => {
    const bus = new HookBus();
    bus.lifecycle.on('hook:fault', () => {
      throw new Error('listener bug');
    });
    bus.register('post_task_execute', () => Promise.reject(new Error('handler failed')), { owner: 'p' });
    await expect(bus.dispatch('post_task_execute', task)).rejects.toThrow('listener bug');
  });
});
