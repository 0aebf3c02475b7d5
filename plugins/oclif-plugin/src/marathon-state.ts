// What the CLI needs of the installed state before any command runs — which plugin commands exist,
// whether any plugin handles cli_command — read straight from state.json, without loading the
// manager and its dependencies, so that start-up stays fast.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CommandEntry {
  plugin: string;
  command: string;
  description: string;
  usage: string;
}

export interface PluginEntry {
  name: string;
  description: string;
}

interface StateSnapshot {
  /** Enabled plugins that have commands. */
  plugins: PluginEntry[];
  commands: CommandEntry[];
  cliCommandHook: boolean;
}

let cached: StateSnapshot | undefined;

/** Commands of enabled plugins, and whether one handles cli_command. MARATHON_HOME from the environment. */
export function stateSnapshot(env: NodeJS.ProcessEnv = process.env): StateSnapshot {
  if (cached !== undefined) return cached;
  const file = join(resolve(env.MARATHON_HOME ?? join(homedir(), '.marathon')), 'state.json');
  const snapshot: StateSnapshot = { plugins: [], commands: [], cliCommandHook: false };
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      plugins?: Record<string, { status?: string; manifest?: { description?: string; commands?: Array<{ name: string; description?: string; usage?: string }>; hooks?: Array<{ name: string }> } }>;
    };
    for (const [plugin, record] of Object.entries(state.plugins ?? {})) {
      if (record.status !== 'enabled') continue;
      if ((record.manifest?.commands?.length ?? 0) > 0) snapshot.plugins.push({ name: plugin, description: record.manifest?.description ?? '' });
      for (const command of record.manifest?.commands ?? []) {
        snapshot.commands.push({ plugin, command: command.name, description: command.description ?? '', usage: command.usage ?? '' });
      }
      if (record.manifest?.hooks?.some((hook) => hook.name === 'cli_command') === true) snapshot.cliCommandHook = true;
    }
  } catch {
    // No state yet, or unreadable: no plugin commands; the manager reports the problem when used.
  }
  cached = snapshot;
  return snapshot;
}
