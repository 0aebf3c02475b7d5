// P2: a hook dispatched to 10 sandboxed plugins, end to end through the worker boundary, against
// 10 bare quickjs-emscripten callFunction calls in one thread with the same event.
// P5: loading 1, 10 and 100 plugins (engine instance + module + init): time and process RSS.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest } from '@marathon/manifest';
import { SandboxHost } from '@marathon/security/sandbox';
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { measure, median } from '../lib/measure.mjs';
import { result, table } from '../lib/report.mjs';
import { taskEvent } from '../lib/task-event.mjs';

const require = createRequire(import.meta.url);
void require;

const event = taskEvent;
const HANDLER = "(event) => success('seen ' + event.task.id)";

function writePlugins(root, count) {
  const dirs = [];
  for (let i = 0; i < count; i++) {
    const dir = join(root, 'plugins', `bench-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'plugin.json'),
      JSON.stringify({
        name: `bench-${i}`,
        version: '1.0.0',
        api_version: '1.0.0',
        permissions: ['task_read'],
        hooks: ['post_task_execute'],
      }),
    );
    writeFileSync(
      join(dir, 'index.js'),
      `import { definePlugin, success } from '@marathon/plugin-api';\nlet ready = false;\nexport default ` +
        `definePlugin({ init() { ready = true; }, hooks: { post_task_execute: (ctx, ${HANDLER.slice(1)} } });\n`,
    );
    dirs.push(dir);
  }
  return dirs;
}

async function loadAll(host, dirs, root) {
  return Promise.all(
    dirs.map(async (dir) => {
      const manifest = await readManifest(dir);
      const plugin = await host.load({
        dir,
        manifest,
        dataDir: join(root, 'data', manifest.name),
        storageFile: join(root, 'storage', `${manifest.name}.json`),
      });
      await plugin.init();
      return plugin;
    }),
  );
}

async function bareContexts(count) {
  const module = await newQuickJSWASMModuleFromVariant(variant);
  return Array.from({ length: count }, () => {
    const vm = module.newContext();
    const fn = vm.unwrapResult(vm.evalCode(`(json) => JSON.stringify({ success: true, message: 'seen ' + JSON.parse(json).task.id })`));
    return { vm, fn };
  });
}

async function dispatchScenario(root, quick) {
  const dirs = writePlugins(join(root, 'p2'), 10);
  const host = new SandboxHost({ workers: 1 });
  const plugins = await loadAll(host, dirs, join(root, 'p2'));
  const bare = await bareContexts(10);
  const json = JSON.stringify(event);
  const check = await host.dispatchHook('post_task_execute', event, plugins);
  if (check.length !== 10 || !check.every((r) => r.result.success)) throw new Error('sandboxed dispatch did not reach all ten plugins');
  const batch = 20;
  const figures = await measure(
    [
      {
        name: 'marathon: dispatchHook to 10 sandboxed plugins (worker)',
        fn: async () => {
          for (let i = 0; i < batch; i++) await host.dispatchHook('post_task_execute', event, plugins);
        },
      },
      {
        name: 'bare: 10 × callFunction in this thread',
        fn: () => {
          for (let i = 0; i < batch; i++) {
            for (const { vm, fn } of bare) {
              const arg = vm.newString(json);
              const out = vm.unwrapResult(vm.callFunction(fn, vm.undefined, arg));
              JSON.parse(vm.getString(out));
              out.dispose();
              arg.dispose();
            }
          }
        },
      },
    ],
    { batch, rounds: 5, time: 500, quick },
  );
  await host.close();
  for (const { vm, fn } of bare) {
    fn.dispose();
    vm.dispose();
  }
  return figures;
}

async function loadScenario(root, count, rounds) {
  const dirs = writePlugins(join(root, `p5-${count}`), count);
  const samples = [];
  let rss = 0;
  for (let round = 0; round < rounds; round++) {
    const host = new SandboxHost({ workers: 2 });
    const started = performance.now();
    await loadAll(host, dirs, join(root, `p5-${count}`, `r${round}`));
    samples.push(performance.now() - started);
    rss = Math.max(rss, process.memoryUsage().rss);
    await host.close();
  }
  return { ms: median(samples), rssMb: rss / 2 ** 20 };
}

export async function run({ quick = false } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'marathon-bench-sandbox-'));
  try {
    const figures = await dispatchScenario(root, quick);
    const marathon = figures.get('marathon: dispatchHook to 10 sandboxed plugins (worker)');
    const bare = figures.get('bare: 10 × callFunction in this thread');
    const loads = [];
    const rounds = quick ? 1 : 3;
    // Quick: 4 plugins stand in for 100 (two per worker); the labels say what ran.
    for (const count of quick ? [1, 2, 4] : [1, 10, 100]) loads.push({ count, ...(await loadScenario(root, count, rounds)) });
    const rows = [['measure', 'figure']];
    rows.push(['dispatch to 10 sandboxed plugins (per second)', marathon]);
    rows.push(['10 bare callFunction calls (per second)', bare]);
    rows.push(['dispatch time ÷ bare time', `${(bare / marathon).toFixed(2)}×`]);
    for (const load of loads)
      rows.push([`load + init ${load.count} plugin${load.count > 1 ? 's' : ''} (ms, median of ${rounds})`, load.ms]);
    const most = loads.at(-1);
    rows.push([`process RSS after loading ${most.count} (MB)`, most.rssMb]);
    return {
      title: 'sandbox: dispatch through the worker, and loading plugins',
      table: table(rows),
      notes: [
        'P2: each plugin in its own QuickJS engine in one worker thread; one message per dispatch, chain rules ' +
          'applied in the worker. Bare: 10 contexts of one engine in the benchmark thread, JSON strings in and out.',
        'P5: SandboxHost with 2 worker threads, plugins loaded concurrently; time includes ' +
          'starting the workers. RSS is the whole process (main thread, both workers, every engine).',
      ],
      results: [
        result('P2', 'ratio_vs_bare', bare / marathon, '<=', 2.0),
        result('P5', `load_${most.count}_ms`, Math.round(most.ms), '<=', 500),
        result('P5', `rss_${most.count}_mb`, Math.round(most.rssMb), '<=', 200),
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
