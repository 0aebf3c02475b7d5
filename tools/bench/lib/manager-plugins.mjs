// Sandboxed plugins as the product runs them: written to a local folder, installed from it into a
// MARATHON_HOME with PluginManager.install and enabled, then called through PluginManager.dispatch
// (its HookBus with history and metrics on, PluginRuntime, the sandbox worker), as
// tools/reliability/test/soak.test.ts does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginManager } from '@marathon/manager';

/** The hook every plugin here declares; each handler returns success('ok'). */
export const BENCH_HOOK = 'post_task_execute';

/** Writes `count` plugins named `<prefix>-<i>` to `sourceDir`; returns their folders. */
export function writeBenchPlugins(sourceDir, count, prefix = 'bench') {
  const dirs = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    const dir = join(sourceDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'plugin.json'),
      JSON.stringify({
        name,
        version: '1.0.0',
        api_version: '1.0.0',
        description: 'bench',
        permissions: ['task_read'],
        hooks: [BENCH_HOOK],
      }),
    );
    writeFileSync(
      join(dir, 'index.js'),
      "import { definePlugin, success } from '@marathon/plugin-api';\n" +
        `export default definePlugin({ hooks: { ${BENCH_HOOK}: (ctx, event) => success('ok') } });\n`,
    );
    dirs.push(dir);
  }
  return dirs;
}

/** Opens a PluginManager on `home`, its built-in plugins being the folders under `sourceDir`. */
export function openManager(root, home, sourceDir) {
  mkdirSync(home, { recursive: true });
  return PluginManager.open({ home, builtInPlugins: [sourceDir], cwd: root, env: { PATH: process.env.PATH } });
}

/**
 * A home under `root` with `count` plugins installed and enabled (none loaded yet), and a manager
 * open on it. The caller closes the manager (and may open others on the same home).
 * @returns {Promise<{ root: string, home: string, sourceDir: string, manager: import('@marathon/manager').PluginManager }>}
 */
export async function homeWithPlugins(root, count, prefix = 'bench') {
  const home = join(root, 'home');
  const sourceDir = join(root, 'plugins');
  writeBenchPlugins(sourceDir, count, prefix);
  const manager = await openManager(root, home, sourceDir);
  try {
    for (let i = 0; i < count; i++) {
      await manager.install(`${prefix}-${i}`, { yes: true });
      await manager.enable(`${prefix}-${i}`);
    }
  } catch (error) {
    await manager.close();
    throw error;
  }
  return { root, home, sourceDir, manager };
}

/** Throws unless the outcome holds `count` successful results. */
export function expectAllSucceeded(outcome, count, what) {
  const ok = outcome.results.filter((r) => r.result?.success === true).length;
  if (outcome.results.length !== count || ok !== count) {
    throw new Error(`${what}: ${outcome.results.length} results, ${ok} successful, expected ${count} successful`);
  }
}
