// What the CLI needs of the installed state before any command runs — which plugin commands exist,
// whether any plugin handles cli_command — read straight from state.json, without loading the
// manager and its dependencies, so that start-up stays fast.
import { readdirSync, readFileSync } from 'node:fs';
import type { InstalledPlugin, InstalledState } from '@marathon/registry';
// The layout alone: the registry's root entry would load the manifest schema and more.
import { marathonHome, stagingOwner, type MarathonHome } from '@marathon/registry/home';
import { terminalText } from './terminal-text';

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

export interface StateSnapshot {
  /** Enabled plugins that have commands. */
  plugins: PluginEntry[];
  commands: CommandEntry[];
  cliCommandHook: boolean;
}

let cached: StateSnapshot | undefined;

/** Commands of enabled plugins, and whether one handles cli_command. MARATHON_HOME from the environment. */
export function stateSnapshot(env: NodeJS.ProcessEnv = process.env): StateSnapshot {
  if (cached !== undefined) return cached;
  const file = marathonHome(undefined, env).stateFile;
  const snapshot: StateSnapshot = { plugins: [], commands: [], cliCommandHook: false };
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      plugins?: Record<
        string,
        {
          status?: string;
          manifest?: {
            description?: string;
            commands?: Array<{ name: string; description?: string; usage?: string }>;
            hooks?: Array<{ name: string }>;
          };
        }
      >;
    };
    for (const [plugin, record] of Object.entries(state.plugins ?? {})) {
      if (record.status !== 'enabled') continue;
      // Descriptions and usage are the plugin's text, printed by help: neutralised here, once.
      if ((record.manifest?.commands?.length ?? 0) > 0)
        snapshot.plugins.push({ name: plugin, description: terminalText(record.manifest?.description ?? '') });
      for (const command of record.manifest?.commands ?? []) {
        snapshot.commands.push({
          plugin,
          command: command.name,
          description: terminalText(command.description ?? ''),
          usage: terminalText(command.usage ?? ''),
        });
      }
      if (record.manifest?.hooks?.some((hook) => hook.name === 'cli_command') === true) snapshot.cliCommandHook = true;
    }
  } catch {
    // No state yet, or unreadable: no plugin commands; the manager reports the problem when used.
  }
  cached = snapshot;
  return snapshot;
}

/**
 * The installed plugins, sorted by name, as the manager lists them — read without loading the
 * manager. Undefined when state.json is not something this reader knows: the caller then asks the
 * manager, which reports the problem properly.
 */
export function readInstalledPlugins(env: NodeJS.ProcessEnv = process.env): InstalledPlugin[] | undefined {
  const read = installedPluginsOrWhyNot(env);
  return 'plugins' in read ? read.plugins : undefined;
}

/**
 * The installed plugins, or why they cannot be read here: `syncPending`, or `unreadable` with the
 * reason (for a caller with no manager to ask, such as the command_not_found hook).
 */
export function installedPluginsOrWhyNot(
  env: NodeJS.ProcessEnv = process.env,
): { plugins: InstalledPlugin[] } | { syncPending: true } | { unreadable: string } {
  const home = marathonHome(undefined, env);
  // A sync in progress, or one whose process died (which the manager rolls back when it opens the
  // home), means the file may hold a half-synced state: let the manager answer.
  if (syncPending(home)) return { syncPending: true };
  let text: string;
  try {
    text = readFileSync(home.stateFile, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return code === 'ENOENT' ? { plugins: [] } : { unreadable: message };
  }
  let state: Partial<InstalledState>;
  try {
    state = JSON.parse(text) as Partial<InstalledState>;
  } catch (error) {
    return { unreadable: `${home.stateFile} is not JSON (${(error as Error).message})` };
  }
  if (state.version !== 1 || typeof state.plugins !== 'object' || state.plugins === null || Array.isArray(state.plugins)) {
    return { unreadable: `${home.stateFile} is not a state file this Marathon reads (version 1, with a plugins table)` };
  }
  return { plugins: Object.values(state.plugins).sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** A sync's trash in staging: a folder whose name (see @marathon/registry's stagingPrefix) says it is for a sync. */
function syncPending(home: MarathonHome): boolean {
  try {
    return readdirSync(home.stagingDir).some((name) => stagingOwner(name)?.purpose === 'sync');
  } catch {
    return false;
  }
}
