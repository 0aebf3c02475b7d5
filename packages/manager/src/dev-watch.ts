// Development's watch loop: a plugin's source folder reinstalled and reloaded on every change,
// each rebuild an ordinary update (same gate, same consent) whose new code must load to count.
import { watch as watchFolder } from 'node:fs';
import type { InstalledPlugin } from '@marathon/registry';
import type { InstallOptions } from './install-contract';
import type { PluginRuntime } from './plugin-runtime';

/** What a watch needs of the manager. */
export interface WatchHost {
  runtime: PluginRuntime;
  update(name: string, request: string, options: InstallOptions): Promise<InstalledPlugin>;
  enable(name: string): Promise<string[]>;
}

/**
 * Reinstalls a plugin from `folder` whenever a file in it changes, and reloads it. Returns a
 * function that stops watching. A change that asks for more than was granted needs consent through
 * `options` (confirm, or yes), or it is refused and reported to `onChange` — the folder's author
 * is not the operator.
 */
export function watchAndRebuild(
  host: WatchHost,
  name: string,
  folder: string,
  onChange: (error?: Error) => void,
  options: InstallOptions,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = watchFolder(folder, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() =>
        rebuild(host, name, folder, options).then(
          () => onChange(),
          (error: Error) => onChange(error),
        ),
      );
    }, 150);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

/**
 * One change under watch: the update, then the new code loaded and initialised here and now, so
 * that a build that cannot run fails this call (and puts the plugin in error) instead of being
 * reported as reloaded; a plugin an earlier build left in error is enabled again by a good one.
 * Disabled stays disabled.
 */
async function rebuild(host: WatchHost, name: string, folder: string, options: InstallOptions): Promise<void> {
  const record = await host.update(name, folder, options);
  if (record.status === 'error') {
    await host.enable(name);
    // The instance of the last good build may still be loaded: swapped for this one.
    if (host.runtime.isLoaded(name)) await host.runtime.reload(name);
  } else if (record.status !== 'enabled') return;
  // Loaded once, each later update reloads it (update swaps a loaded instance for a fresh one).
  await host.runtime.ensureLoaded(name);
}
