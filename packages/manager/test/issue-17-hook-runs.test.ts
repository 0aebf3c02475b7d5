// Issue 17: a dispatch sends consecutive sandboxed plugins of a hook to their worker together (one
// message per worker) instead of one round trip per plugin. The bus still sees one handler per
// plugin, in priority order, with the chain rules (waterfall, veto, stop) and each plugin's own
// time; a host's handler between plugins runs in its turn; no plugin runs twice or out of turn.
import { HookBus } from '@marathon/events';
import type { TaskEvent } from '@marathon/plugin-api';
import { SandboxedPlugin, SandboxHost } from '@marathon/security';
import { useManager, writePlugin } from './helpers';

const { manager, sandbox, reopen } = useManager();

/** A plugin counting its own calls (module state in its engine), so a second run would show. */
function counting(name: string, priority: number, answer: string, permissions = ['task_read']) {
  writePlugin(sandbox.plugins, {
    name,
    permissions,
    hooks: [{ name: 'pre_task_submit', priority }],
    prelude: 'let calls = 0;',
    body: `{ hooks: { pre_task_submit: (ctx, event) => { calls += 1; ${answer} } } }`,
  });
}

async function installAll(names: string[]): Promise<void> {
  for (const name of names) {
    await manager().install(name, { yes: true });
    await manager().enable(name);
  }
}

const event: TaskEvent = {
  task: { id: 't1', name: 'build', command: 'make', args: [], submitted_by: 'ada', submitted_at: '2026-11-29T12:00:00Z' },
};

afterEach(() => jest.restoreAllMocks());

it('runs consecutive plugins in one worker message, a host handler in its turn, each plugin once, the waterfall intact', async () => {
  counting('writer', 40, "return success('calls ' + calls, { task: { ...event.task, name: 'renamed' } });", ['task_read', 'task_write']);
  counting('first-reader', 30, "return success(event.task.name + ' ' + calls);");
  counting('second-reader', 10, "return success(event.task.name + ' ' + calls);");
  await installAll(['writer', 'first-reader', 'second-reader']);
  const seenByHost: string[] = [];
  manager().bus.register(
    'pre_task_submit',
    (data) => {
      seenByHost.push(data.task.name);
    },
    { owner: 'host', priority: 20 },
  );
  const batched = jest.spyOn(SandboxHost.prototype, 'dispatchHook');
  const single = jest.spyOn(SandboxedPlugin.prototype, 'callHook');

  for (const round of [1, 2]) {
    const outcome = await manager().dispatch('pre_task_submit', event);
    expect(outcome.vetoed).toBe(false);
    expect(outcome.results.map((r) => [r.plugin, r.result.message])).toEqual([
      ['writer', `calls ${round}`],
      ['first-reader', `renamed ${round}`],
      ['host', undefined],
      ['second-reader', `renamed ${round}`],
    ]);
  }
  expect(seenByHost).toEqual(['renamed', 'renamed']);
  // Per dispatch: writer and first-reader in one message (the host's handler ends the run), then
  // second-reader alone.
  expect(batched.mock.calls.map(([, , plugins]) => plugins.map((plugin) => plugin.name))).toEqual([
    ['writer', 'first-reader'],
    ['writer', 'first-reader'],
  ]);
  expect(single).toHaveBeenCalledTimes(2);
  expect(
    manager()
      .bus.history.query({ hook: 'pre_task_submit' })
      .map((record) => record.plugin_name),
  ).toEqual(['writer', 'first-reader', 'host', 'second-reader', 'writer', 'first-reader', 'host', 'second-reader']);
});

it('a veto inside a run stops it there: the plugins after the vetoing one never run', async () => {
  counting('approver', 30, "return success('ok ' + calls);");
  counting('refuser', 20, "return failure('no ' + calls);");
  counting('after', 10, "return success('after ' + calls);");
  await installAll(['approver', 'refuser', 'after']);
  const batched = jest.spyOn(SandboxHost.prototype, 'dispatchHook');

  for (const round of [1, 2]) {
    const outcome = await manager().dispatch('pre_task_submit', event);
    expect(outcome.vetoed).toBe(true);
    expect(outcome.vetoedBy).toBe('refuser');
    expect(outcome.results.map((r) => r.result.message)).toEqual([`ok ${round}`, `no ${round}`]);
  }
  expect(batched).toHaveBeenCalledTimes(2);
  manager().bus.unregisterOwner('approver');
  manager().bus.unregisterOwner('refuser');
  // Its first call ever: it did not run ahead of its turn in either dispatch.
  expect((await manager().dispatch('pre_task_submit', event)).results.map((r) => r.result.message)).toEqual(['after 1']);
});

it("charges each plugin its own time, measured in the worker, not the run's", async () => {
  writePlugin(sandbox.plugins, {
    name: 'quick',
    hooks: [{ name: 'post_task_execute', priority: 20 }],
    body: "{ hooks: { post_task_execute: () => success('quick') } }",
  });
  writePlugin(sandbox.plugins, {
    name: 'busy',
    hooks: [{ name: 'post_task_execute', priority: 10 }],
    body: "{ hooks: { post_task_execute: () => { const end = Date.now() + 300; while (Date.now() < end) {} return success('busy'); } } }",
  });
  await installAll(['quick', 'busy']);
  const outcome = await manager().dispatch('post_task_execute', { ...event, result: { exit_code: 0, duration_ms: 1 } });
  expect(outcome.results.map((r) => r.plugin)).toEqual(['quick', 'busy']);
  const [quick, busy] = manager().bus.history.query({ hook: 'post_task_execute' });
  // Timed on the bus, `quick` would carry the whole run (its own call and busy's 300 ms) and `busy`
  // next to nothing.
  expect(busy!.duration_ns).toBeGreaterThanOrEqual(250e6);
  expect(quick!.duration_ns).toBeLessThan(busy!.duration_ns / 2);
});

it("keeps a run inside half the bus's timeout for its first handler: a host's bus giving handlers 9 s gets no runs at 5 s deadlines", async () => {
  counting('one', 20, "return success('one ' + calls);");
  counting('two', 10, "return success('two ' + calls);");
  await installAll(['one', 'two']);
  await reopen({ bus: new HookBus({ handlerTimeoutMs: 9000 }) });
  const batched = jest.spyOn(SandboxHost.prototype, 'dispatchHook');
  const outcome = await manager().dispatch('pre_task_submit', event);
  expect(outcome.results.map((r) => r.result.message)).toEqual(['one 1', 'two 1']);
  expect(batched).not.toHaveBeenCalled();
  // The manager's own bus (60 s) takes both in one run.
  await reopen();
  await manager().dispatch('pre_task_submit', event);
  expect(batched.mock.calls.map(([, , plugins]) => plugins.map((plugin) => plugin.name))).toEqual([['one', 'two']]);
});

it("on the manager's own bus, plugins' handlers get 120 s, so 12 plugins at the default 5 s deadline run in one message", async () => {
  const names = Array.from({ length: 13 }, (_, i) => `p${String(i).padStart(2, '0')}`);
  names.forEach((name, i) => counting(name, 100 - i, `return success('${name} ' + calls);`));
  await installAll(names);
  expect(
    manager()
      .bus.handlers('pre_task_submit')
      .map((handler) => handler.owner),
  ).toEqual(names);
  const batched = jest.spyOn(SandboxHost.prototype, 'dispatchHook');
  const outcome = await manager().dispatch('pre_task_submit', event);
  expect(outcome.results.map((r) => r.result.message)).toEqual(names.map((name) => `${name} 1`));
  expect(batched.mock.calls.map(([, , plugins]) => plugins.length)).toEqual([12]);
});
