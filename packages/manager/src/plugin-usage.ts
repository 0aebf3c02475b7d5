// What each loaded plugin's engine has used, sampled when the history is written so that `plugin
// top` in another process can show it. A sample costs one message to the plugin's worker, so only
// plugins loaded in this process are asked, and only at flush time (at most every second).
import type { ManagerEvents } from './manager-events';
import type { PluginRuntime } from './plugin-runtime';

/** One plugin's engine usage, as measured by the sandbox. */
export interface UsageSample {
  /** Bytes of the plugin's WebAssembly memory (engine and heap). */
  memory_bytes: number;
  /** CPU time its current instance has used, in ms. */
  cpu_ms: number;
  /** Calls made into its current instance. */
  calls: number;
}

/** A sample as usage.json keeps it: the latest one per plugin wins, whichever process took it. */
export interface PersistedUsage extends UsageSample {
  /** When it was sampled (ISO 8601, UTC). */
  at: string;
  /** The process that sampled it. */
  pid: number;
}

export type UsageSampler = () => Promise<Record<string, UsageSample>>;

/**
 * Samples the plugins loaded in this process. The runtime does not list what it has loaded, so the
 * names come from its `loaded`/`reloaded` events and are checked against it at each sample.
 */
export function loadedPluginUsage(runtime: Pick<PluginRuntime, 'isLoaded' | 'ensureLoaded'>, events: ManagerEvents): UsageSampler {
  const seen = new Set<string>();
  const remember = ({ plugin }: { plugin: string }): void => void seen.add(plugin);
  events.on('loaded', remember);
  events.on('reloaded', remember);
  return async () => {
    const samples: Record<string, UsageSample> = Object.create(null) as Record<string, UsageSample>;
    await Promise.all(
      [...seen].map(async (name) => {
        // Checked and taken in one turn: ensureLoaded of a loaded plugin hands back its instance and never starts a load.
        if (!runtime.isLoaded(name)) return void seen.delete(name);
        try {
          const usage = await (await runtime.ensureLoaded(name)).plugin.usage();
          samples[name] = { memory_bytes: usage.memory_bytes, cpu_ms: usage.cpu_time_ms, calls: usage.calls };
        } catch {
          // Unloaded or lost while asked: its last persisted sample stands.
        }
      }),
    );
    return samples;
  };
}
