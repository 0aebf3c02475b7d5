// Issue 20, quarantine: a plugin that keeps failing through its own fault (it throws, returns
// something that is not a result, breaks a limit) is put in the error state with the reason and
// taken off the bus, while the others on the same hook keep answering. A failed result the plugin
// returned on purpose (a veto) is an answer, never a fault. Time is the test's clock, not the wall's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginManagerOptions } from '@marathon/manager';
import { managerError, task, useManager, writePlugin } from './helpers';

const { manager, sandbox, reopen } = useManager({ open: false });

let clock = 0;
const now = (): number => clock;

function plugins(): void {
  writePlugin(sandbox.plugins, {
    name: 'thrower',
    hooks: ['post_task_submit'],
    commands: ['go'],
    body: "{ hooks: { post_task_submit: () => { throw new Error('boom'); } }, commands: { go: () => { throw new Error('bang'); } } }",
  });
  writePlugin(sandbox.plugins, { name: 'steady', hooks: ['post_task_submit'] });
  writePlugin(sandbox.plugins, {
    name: 'vetoer',
    permissions: ['task_read'],
    hooks: ['pre_task_submit'],
    body: "{ hooks: { pre_task_submit: () => failure('not on Fridays') } }",
  });
  writePlugin(sandbox.plugins, {
    name: 'spinner',
    hooks: ['post_task_submit'],
    body: '{ hooks: { post_task_submit: () => { for (;;) {} } } }',
  });
}

async function start(options: PluginManagerOptions = {}, config?: object): Promise<void> {
  clock = 1_000_000;
  plugins();
  if (config !== undefined) {
    mkdirSync(sandbox.home, { recursive: true });
    writeFileSync(join(sandbox.home, 'config.json'), JSON.stringify(config));
  }
  await reopen({ ...options, quarantine: { now, ...options.quarantine } });
  for (const name of ['thrower', 'steady', 'vetoer', 'spinner']) await manager().install(name, { yes: true });
}

async function enabled(...names: string[]): Promise<void> {
  for (const name of names) await manager().enable(name);
}

async function status(name: string): Promise<{ status: string; error?: string | undefined }> {
  const record = (await manager().list()).find((plugin) => plugin.name === name)!;
  return { status: record.status, error: record.error };
}

/** Fires post_task_submit `times` times, a second apart; returns the last dispatch's answers by plugin. */
async function fire(times: number): Promise<Array<[string | undefined, boolean]>> {
  let answers: Array<[string | undefined, boolean]> = [];
  for (let i = 0; i < times; i += 1) {
    clock += 1000;
    const outcome = await manager().dispatch('post_task_submit', task());
    answers = outcome.results.map((entry) => [entry.plugin, entry.result.success]);
  }
  return answers;
}

it('quarantines a plugin that throws on every call after 5 faults, while the one beside it keeps answering', async () => {
  await start();
  await enabled('thrower', 'steady');
  const quarantined: Array<{ plugin: string; reason: string }> = [];
  manager().events.on('quarantined', (event) => quarantined.push(event));

  await fire(4);
  expect(await status('thrower')).toEqual({ status: 'enabled', error: undefined });
  expect((await manager().info('thrower')).loaded).toBe(true);
  // The fifth fault trips it, and the dispatch it happened in still answers for both.
  expect(await fire(1)).toEqual(
    expect.arrayContaining([
      ['thrower', false],
      ['steady', true],
    ]),
  );
  const { error } = await status('thrower');
  expect(error).toMatch(/^quarantined: 5 faults in 60 s \(last: .*boom.*\); fix it and run marathon plugin enable thrower$/);
  expect(await status('thrower')).toEqual({ status: 'error', error: expect.any(String) as string });
  expect(quarantined).toEqual([{ plugin: 'thrower', reason: error }]);
  expect((await manager().info('thrower')).loaded).toBe(false);
  expect(manager().bus.owners('post_task_submit')).toEqual(['steady']);
  expect(await fire(1)).toEqual([['steady', true]]);
});

it('never quarantines a plugin for the failed results it returns on purpose (a veto)', async () => {
  await start({ quarantine: { maxFaults: 2 } });
  await enabled('vetoer');
  for (let i = 0; i < 6; i += 1) {
    clock += 1000;
    expect((await manager().dispatch('pre_task_submit', task())).vetoedBy).toBe('vetoer');
  }
  expect(await status('vetoer')).toEqual({ status: 'enabled', error: undefined });
});

it('quarantines a plugin that breaks its call deadline after 3 broken limits, naming the deadline', async () => {
  await start({}, { limits: { call_deadline_ms: 150 } });
  await enabled('spinner', 'steady');
  await fire(2);
  expect((await status('spinner')).status).toBe('enabled');
  await fire(1);
  const { status: state, error } = await status('spinner');
  expect(state).toBe('error');
  expect(error).toMatch(
    /^quarantined: 3 broken limits in 60 s \(last: .*deadline of 150 ms.*\); fix it and run marathon plugin enable spinner$/,
  );
  expect((await manager().info('spinner')).loaded).toBe(false);
  expect(manager().bus.owners('post_task_submit')).toEqual(['steady']);
});

it('does not add up faults that fell out of the window', async () => {
  await start({ quarantine: { maxFaults: 3, windowMs: 10_000 } });
  await enabled('thrower');
  await fire(2); // at +1 s and +2 s
  clock += 20_000; // both are now older than the 10 s window
  await fire(2);
  expect((await status('thrower')).status).toBe('enabled');
  await fire(1);
  expect(await status('thrower')).toEqual({ status: 'error', error: expect.stringMatching(/^quarantined: 3 faults in 10 s/) as string });
});

it('counts a failing command as a fault, and then refuses to run it with the reason', async () => {
  await start({ quarantine: { maxFaults: 2 } });
  await enabled('thrower');
  for (let i = 0; i < 2; i += 1) expect((await managerError(() => manager().run('thrower', 'go'))).code).toBe('COMMAND_FAILED');
  const refused = await managerError(() => manager().run('thrower', 'go'));
  expect(refused.code).toBe('NOT_ENABLED');
  expect(refused.message).toContain('quarantined: 2 faults in 60 s');
});

it('takes its thresholds from config.json, and never quarantines with enabled: false', async () => {
  await start({}, { quarantine: { max_faults: 2, window_s: 30 } });
  await enabled('thrower');
  await fire(2);
  expect(await status('thrower')).toEqual({ status: 'error', error: expect.stringMatching(/^quarantined: 2 faults in 30 s/) as string });

  await manager().enable('thrower');
  writeFileSync(join(sandbox.home, 'config.json'), JSON.stringify({ quarantine: { enabled: false, max_faults: 2 } }));
  await reopen({ quarantine: { now } });
  await fire(8);
  expect(await status('thrower')).toEqual({ status: 'enabled', error: undefined });
});

it('lets the embedder turn it off over config.json', async () => {
  await start({ quarantine: { enabled: false } }, { quarantine: { max_faults: 1 } });
  await enabled('thrower');
  await fire(3);
  expect((await status('thrower')).status).toBe('enabled');
});

it('is cleared by enable, which starts the count afresh', async () => {
  await start({ quarantine: { maxFaults: 2 } });
  await enabled('thrower');
  await fire(2);
  expect((await status('thrower')).status).toBe('error');
  expect(await manager().enable('thrower')).toEqual(['thrower']);
  expect(await status('thrower')).toEqual({ status: 'enabled', error: undefined });
  expect(manager().bus.owners('post_task_submit')).toContain('thrower');

  // A fault, then a disable and an enable: the fault before them no longer counts.
  await fire(1);
  await manager().disable('thrower');
  await manager().enable('thrower');
  await fire(1);
  expect((await status('thrower')).status).toBe('enabled');
  await fire(1);
  expect((await status('thrower')).status).toBe('error');
});
