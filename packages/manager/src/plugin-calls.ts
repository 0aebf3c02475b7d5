// Calls into plugins — a command, a hook fired at the plugins that declare it — each loading only
// what it needs and scheduling the history write that records it.
import type { DispatchOutcome } from '@marathon/events';
import { didYouMean } from '@marathon/manifest';
import type { HookEventMap, HookType } from '@marathon/plugin-api';
import { ownEntry } from '@marathon/registry';
import { ManagerError } from './errors';
import type { ManagerParts } from './manager-parts';
import { notInstalled } from './not-installed';

/** Runs a plugin's command, loading the plugin (and only it) if need be. */
export async function runCommand(
  parts: Pick<ManagerParts, 'store' | 'runtime' | 'history' | 'bus' | 'historyWriteMs'>,
  name: string,
  command: string,
  args: readonly string[],
): Promise<string | undefined> {
  const record = ownEntry((await parts.store.read()).plugins, name);
  if (record === undefined) throw await notInstalled(parts.store, name);
  if (record.status !== 'enabled') {
    throw new ManagerError(
      'NOT_ENABLED',
      // A quarantine's reason already says how to enable it again: it is not said twice.
      record.status === 'error' && record.error?.includes('marathon plugin enable') === true
        ? `plugin '${name}' is in error (${record.error})`
        : `plugin '${name}' is ${record.status === 'error' ? `in error (${record.error ?? 'unknown'})` : 'disabled'}: run marathon plugin enable ${name}`,
    );
  }
  const commands = record.manifest.commands.map((declared) => declared.name);
  if (!commands.includes(command)) {
    throw new ManagerError(
      'COMMAND_NOT_FOUND',
      `plugin '${name}' has no command '${command}'${didYouMean(command, commands)}; its commands: ${commands.join(', ') || 'none'}`,
    );
  }
  try {
    return await parts.runtime.runCommand(name, command, args);
  } finally {
    await parts.history.schedule(parts.bus, parts.historyWriteMs);
  }
}

/** Fires a hook at the enabled plugins that declare it (loading them if need be). */
export async function dispatchHook<K extends HookType>(
  parts: Pick<ManagerParts, 'runtime' | 'history' | 'bus' | 'historyWriteMs'>,
  hook: K,
  event: HookEventMap[K],
): Promise<DispatchOutcome<HookEventMap[K]>> {
  // Load the handlers' plugins first, so that a hook's deadline and its latency metrics measure
  // the call, not the sandbox start-up. A plugin that failed to load fails in its call, where the
  // failure is reported (and vetoes, on veto-capable hooks).
  const loading = parts.runtime.loadHook(hook);
  if (loading !== undefined) await loading;
  try {
    return await parts.bus.dispatch(hook, event);
  } finally {
    await parts.history.schedule(parts.bus, parts.historyWriteMs);
  }
}
