// P2, P2n and P5 through the product's path: PluginManager.dispatch (@marathon/manager), its HookBus
// with history and metrics on, PluginRuntime.callHook, SandboxedPlugin.callHook and the sandbox worker.
// P2: a dispatch to 10 enabled sandboxed plugins against the same 10 handlers as bare
// quickjs-emscripten callFunction calls in one thread. P2n: the per-plugin cost of a dispatch to
// 100 plugins against that of a dispatch to 10. P5: the first dispatch to 100 enabled plugins not
// yet loaded (integrity checks, engine creation, module load, init), and the process RSS after it.
// SandboxHost.dispatchHook and SandboxHost.load (a side path the product does not take) are kept
// as context rows only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest } from '@marathon/manifest';
import { SandboxHost } from '@marathon/security/sandbox';
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { measure, median } from '../lib/measure.mjs';
import { BENCH_HOOK, expectAllSucceeded, homeWithPlugins, openManager, writeBenchPlugins } from '../lib/manager-plugins.mjs';
import { result, table } from '../lib/report.mjs';
import { taskEvent } from '../lib/task-event.mjs';

const event = taskEvent;

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

/** The plugins' handler done bare: parse the event's JSON, return a success result as JSON. */
async function bareContexts(count) {
  const module = await newQuickJSWASMModuleFromVariant(variant);
  return Array.from({ length: count }, () => {
    const vm = module.newContext();
    const fn = vm.unwrapResult(
      vm.evalCode(`(json) => { JSON.parse(json); return JSON.stringify({ success: true, continue_chain: true, message: 'ok' }); }`),
    );
    return { vm, fn };
  });
}

/**
 * P2 and P2n, side by side in one measure(): dispatches through a manager with `small` plugins,
 * through one with `large` plugins, the `small` handlers bare, and (context) SandboxHost.dispatchHook
 * to `small` plugins. Every task runs `calls` handler invocations per timed iteration, so each
 * figure is handler calls per second.
 */
async function dispatchScenario(root, largeHome, { small, large, quick }) {
  const calls = quick ? large : 200;
  if (calls % small !== 0 || calls % large !== 0) throw new Error('calls per iteration must be a multiple of both sizes');
  const opened = [];
  const host = new SandboxHost({ workers: 1 });
  const bare = await bareContexts(small);
  try {
    const smallHome = await homeWithPlugins(join(root, 'p2-small'), small);
    opened.push(smallHome.manager);
    const largeManager = await openManager(largeHome.root, largeHome.home, largeHome.sourceDir);
    opened.push(largeManager);
    // Warm-up: the first dispatch loads the plugins.
    expectAllSucceeded(await smallHome.manager.dispatch(BENCH_HOOK, event), small, `dispatch to ${small}`);
    expectAllSucceeded(await largeManager.dispatch(BENCH_HOOK, event), large, `dispatch to ${large}`);
    const sideDirs = writeBenchPlugins(join(root, 'side', 'plugins'), small);
    const sidePlugins = await loadAll(host, sideDirs, join(root, 'side'));
    const check = await host.dispatchHook(BENCH_HOOK, event, sidePlugins);
    if (check.length !== small || !check.every((r) => r.result.success))
      throw new Error('SandboxHost.dispatchHook did not reach every plugin');
    const json = JSON.stringify(event);
    const names = {
      small: `manager.dispatch to ${small}`,
      large: `manager.dispatch to ${large}`,
      bare: `bare: ${small} × callFunction`,
      side: `context: SandboxHost.dispatchHook to ${small}`,
    };
    const figures = await measure(
      [
        {
          name: names.small,
          fn: async () => {
            for (let i = 0; i < calls / small; i++) await smallHome.manager.dispatch(BENCH_HOOK, event);
          },
        },
        {
          name: names.large,
          fn: async () => {
            for (let i = 0; i < calls / large; i++) await largeManager.dispatch(BENCH_HOOK, event);
          },
        },
        {
          name: names.bare,
          fn: () => {
            for (let i = 0; i < calls / small; i++) {
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
        {
          name: names.side,
          fn: async () => {
            for (let i = 0; i < calls / small; i++) await host.dispatchHook(BENCH_HOOK, event, sidePlugins);
          },
        },
      ],
      { batch: calls, rounds: 5, time: 500, quick },
    );
    // Handler calls per second → µs per handler call.
    const perCallUs = (name) => 1e6 / figures.get(name);
    return {
      smallPerPluginUs: perCallUs(names.small),
      largePerPluginUs: perCallUs(names.large),
      barePerCallUs: perCallUs(names.bare),
      sidePerPluginUs: perCallUs(names.side),
    };
  } finally {
    for (const manager of opened) await manager.close();
    await host.close();
    for (const { vm, fn } of bare) {
      fn.dispose();
      vm.dispose();
    }
  }
}

/**
 * P5: `rounds` first dispatches to `count` enabled plugins, each through a manager freshly opened
 * on the same home (installed once), so that none is loaded; the time runs from the dispatch call
 * to its resolution, and the process RSS is read right after it.
 */
async function firstDispatchScenario(largeHome, count, rounds) {
  const samples = [];
  const rss = [];
  for (let round = 0; round < rounds; round++) {
    const fresh = await openManager(largeHome.root, largeHome.home, largeHome.sourceDir);
    try {
      const started = performance.now();
      const outcome = await fresh.dispatch(BENCH_HOOK, event);
      samples.push(performance.now() - started);
      rss.push(process.memoryUsage().rss / 2 ** 20);
      expectAllSucceeded(outcome, count, `first dispatch to ${count}`);
    } finally {
      await fresh.close();
    }
  }
  return { ms: median(samples), rssMb: median(rss), rssFirstMb: rss[0], rssMaxMb: Math.max(...rss) };
}

/** Context only: SandboxHost.load + init of `count` plugins (the side path), time and RSS. */
async function sideLoadScenario(root, count, rounds) {
  const dirs = writeBenchPlugins(join(root, `side-load-${count}`, 'plugins'), count);
  const samples = [];
  let rss = 0;
  for (let round = 0; round < rounds; round++) {
    const host = new SandboxHost({ workers: 2 });
    try {
      const started = performance.now();
      await loadAll(host, dirs, join(root, `side-load-${count}`, `r${round}`));
      samples.push(performance.now() - started);
      rss = Math.max(rss, process.memoryUsage().rss);
    } finally {
      await host.close();
    }
  }
  return { ms: median(samples), rssMb: rss / 2 ** 20 };
}

export async function run({ quick = false } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'marathon-bench-sandbox-'));
  try {
    // Quick: 2 plugins stand in for 10 and 4 for 100; the labels say what ran.
    const small = quick ? 2 : 10;
    const large = quick ? 4 : 100;
    const p5Rounds = quick ? 2 : 5;
    const sideRounds = quick ? 1 : 3;
    // The `large` plugins are installed once (the slow part: ~15 s for 100), for P5 and P2n alike.
    const largeHome = await homeWithPlugins(join(root, 'large'), large);
    await largeHome.manager.close();
    // P5 runs first, so that its RSS holds the installing manager's leftovers but not P2's.
    const p5 = await firstDispatchScenario(largeHome, large, p5Rounds);
    const p2 = await dispatchScenario(root, largeHome, { small, large, quick });
    const side = await sideLoadScenario(root, large, sideRounds);

    const managerDispatchUs = p2.smallPerPluginUs * small;
    const bareUs = p2.barePerCallUs * small;
    const p2Ratio = managerDispatchUs / bareUs;
    const p2nRatio = p2.largePerPluginUs / p2.smallPerPluginUs;
    const rows = [['measure', 'figure']];
    rows.push([`P2: manager.dispatch to ${small} enabled plugins (µs per dispatch)`, managerDispatchUs]);
    rows.push([`P2: ${small} bare callFunction calls in this thread (µs)`, bareUs]);
    rows.push(['P2: manager dispatch time ÷ bare time', `${p2Ratio.toFixed(2)}×`]);
    rows.push([`P2n: manager.dispatch to ${small} plugins (µs per plugin)`, p2.smallPerPluginUs]);
    rows.push([`P2n: manager.dispatch to ${large} plugins (µs per plugin)`, p2.largePerPluginUs]);
    rows.push([`P2n: manager.dispatch to ${large} plugins (µs per dispatch)`, p2.largePerPluginUs * large]);
    rows.push([`P2n: per-plugin cost at ${large} ÷ at ${small}`, `${p2nRatio.toFixed(2)}×`]);
    rows.push([`P5: first manager.dispatch to ${large} enabled, unloaded plugins (ms, median of ${p5Rounds})`, p5.ms]);
    rows.push([`P5: process RSS after it (MB, median of ${p5Rounds})`, p5.rssMb]);
    rows.push([`P5: process RSS after it, first round / highest (MB)`, `${p5.rssFirstMb.toFixed(0)} / ${p5.rssMaxMb.toFixed(0)}`]);
    rows.push([
      `context: SandboxHost.dispatchHook to ${small} plugins (side path, not the product's; µs per dispatch)`,
      p2.sidePerPluginUs * small,
    ]);
    rows.push([
      `context: SandboxHost.load + init of ${large} plugins (side path, not the product's; ms, median of ${sideRounds})`,
      side.ms,
    ]);
    rows.push([`context: process RSS after SandboxHost.load of ${large} (MB)`, side.rssMb]);
    return {
      title: "sandbox: dispatch and first dispatch through PluginManager (the product's path)",
      table: table(rows),
      notes: [
        `P2 and P2n measure PluginManager.dispatch('${BENCH_HOOK}') as the product runs it: HookBus (history and ` +
          'metrics on) → PluginRuntime.callHook, which sends its plugin and the loaded plugins right after it in one ' +
          'message per worker (SandboxHost.dispatchHook; runs cut where their call deadlines pass half the bus timeout, 60 s: 12 plugins at ' +
          'the default 5 s), the others answering the bus from hook-runs.ts (one sandbox worker thread, each plugin ' +
          'in its own QuickJS engine). Plugins are installed from a local ' +
          "folder with PluginManager.install and enabled; each handler returns success('ok'). The plugins are loaded " +
          `by a warm-up dispatch before timing. Bare: ${small} contexts of one QuickJS engine in the benchmark thread, ` +
          'each parsing the event JSON and returning a success result as JSON. All four dispatch rows ran side by ' +
          'side in one process, rounds alternating.',
        `P5 measures the first PluginManager.dispatch to ${large} enabled plugins none of which is loaded (a manager ` +
          'freshly opened on a home where they are installed): integrity checks, engine creation, module load and ' +
          'init, then the calls; from the dispatch call to its resolution. RSS is the whole process (main thread, ' +
          'the worker, every engine), read right after that dispatch; the managers of earlier rounds are closed.',
        'Context rows: SandboxHost.dispatchHook (one message per dispatch, chain rules applied in the worker) and ' +
          'SandboxHost.load with 2 worker threads are a side path the product does not take; no goal reads them.',
        ...(quick ? [`Quick: ${small} plugins stand in for 10 and ${large} for 100.`] : []),
      ],
      results: [
        result('P2', 'ratio_vs_bare', p2Ratio, '<=', 1.5),
        result('P2n', `per_plugin_${large}_vs_${small}`, p2nRatio, '<=', 1.2),
        result('P5', `first_dispatch_${large}_ms`, Math.round(p5.ms), '<=', 300),
        result('P5', `rss_${large}_mb`, Math.round(p5.rssMb), '<=', 200),
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
