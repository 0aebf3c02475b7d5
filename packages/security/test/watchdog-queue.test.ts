// Regression (found by the soak in tools/reliability): the watchdog timed each request from when it
// was sent, so requests queued behind other plugins' work in one worker ran out of budget without
// having started, and a worker that was only busy was stopped — every plugin in it lost its call.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxHost } from '@marathon/security';
import { loadPlugin, tempHome } from './sandbox-helpers';

const DEADLINE_MS = 300;
/** Each init keeps the worker busy this long: well within its own deadline. */
const INIT_MS = 150;
/** Enough of them that the last waits far longer than a deadline plus the watchdog's grace (1 s). */
const PLUGINS = 12;

function writeSlowInit(root: string, name: string): string {
  const dir = join(root, 'plugins', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({ name, version: '1.0.0', api_version: '1.0.0', permissions: [], hooks: ['post_task_execute'] }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin, success } from '@marathon/plugin-api';
export default definePlugin({
  init() { const end = Date.now() + ${INIT_MS}; while (Date.now() < end) {} },
  hooks: { post_task_execute: (ctx, event) => success('${name} ok') },
});
`,
  );
  return dir;
}

/** Runs `test` with a fresh home and a host of `workers` workers at `deadlineMs`, closed and removed after. */
async function withHost(workers: number, deadlineMs: number, test: (host: SandboxHost, home: string) => Promise<void>): Promise<void> {
  const { home, cleanup } = tempHome();
  const host = new SandboxHost({ workers, policy: { limits: { call_deadline_ms: deadlineMs } } });
  try {
    await test(host, home);
  } finally {
    await host.close();
    cleanup();
  }
}

it('does not stop a worker whose queued requests waited past their budget behind others that kept to theirs', async () => {
  await withHost(1, DEADLINE_MS, async (host, home) => {
    const names = Array.from({ length: PLUGINS }, (_, i) => `slow-init-${i}`);
    const plugins = await Promise.all(names.map((name) => loadPlugin(host, writeSlowInit(home, name), home)));
    // All inits sent at once: the worker runs them one after another, ~1.8 s in all.
    const inits = await Promise.allSettled(plugins.map((plugin) => plugin.init()));
    expect(inits.filter((init) => init.status === 'rejected')).toEqual([]);
    const results = await host.dispatchHook('post_task_execute', { task: { id: 't-1' } }, plugins);
    expect(results.map((result) => result.result.message)).toEqual(names.map((name) => `${name} ok`));
  });
}, 30_000);

// Issue 17: a hook's plugins run in one request per worker (a run), and the watchdog gave a request
// its calls' deadlines added up, so a runaway at the head of a 20-plugin run was stopped only after
// 20 deadlines. It now counts the budget again from each call that starts: one deadline (plus the
// grace, and at most one more look) after the runaway began. The plugins that had answered keep
// their answers (finished-results.ts): in their own requests they would have.
it('stops a runaway in a run as soon as one alone; those that answered before it keep their answers, the rest run on a fresh worker', async () => {
  await withHost(1, 500, async (host, home) => {
    const looper = join(home, 'plugins', 'looper');
    mkdirSync(looper, { recursive: true });
    writeFileSync(
      join(looper, 'plugin.json'),
      JSON.stringify({ name: 'looper', version: '1.0.0', api_version: '1.0.0', permissions: [], hooks: ['post_task_execute'] }),
    );
    // Heavy built-ins outrun QuickJS's interrupt handler: only the watchdog stops this.
    writeFileSync(
      join(looper, 'index.js'),
      `import { definePlugin } from '@marathon/plugin-api';
  export default definePlugin({ hooks: { post_task_execute: () => { for (;;) new Array(2e5).fill(0).join(); } } });
  `,
    );
    const names = Array.from({ length: 19 }, (_, i) => `steady-${i}`);
    const steady = await Promise.all(names.map((name) => loadPlugin(host, writeSlowInit(home, name), home)));
    // Two plugins answer before the runaway starts: their answers must survive the worker's stop.
    const plugins = [steady[0]!, steady[1]!, await loadPlugin(host, looper, home), ...steady.slice(2)];
    await Promise.all(plugins.map((plugin) => plugin.init()));
    const started = Date.now();
    const results = await host.dispatchHook('post_task_execute', { task: { id: 't-1' } }, plugins);
    const elapsed = Date.now() - started;
    expect(results[2]).toMatchObject({ plugin: 'looper', error: { code: 'DEADLINE_EXCEEDED' } });
    expect(results.filter((result) => result.plugin !== 'looper').map((result) => result.result.message)).toEqual(
      names.map((name) => `${name} ok`),
    );
    // 20 deadlines and the grace would be 11 s; one deadline, the grace and one more look are under 3.
    expect(elapsed).toBeLessThan(8000);
  });
}, 60_000);

// Issue 17: instances were counted per worker only once loaded, so plugins loaded all at once (a
// hook's first dispatch) all went to the first worker and the others stayed idle.
it('spreads plugins loaded at the same time across the workers', async () => {
  await withHost(2, DEADLINE_MS, async (host, home) => {
    const names = Array.from({ length: 6 }, (_, i) => `spread-${i}`);
    const plugins = await Promise.all(names.map((name) => loadPlugin(host, writeSlowInit(home, name), home)));
    const perWorker = new Map<number, number>();
    for (const plugin of plugins) perWorker.set(plugin.record.worker!.index, (perWorker.get(plugin.record.worker!.index) ?? 0) + 1);
    expect([...perWorker.entries()].sort()).toEqual([
      [0, 3],
      [1, 3],
    ]);
  });
}, 30_000);
