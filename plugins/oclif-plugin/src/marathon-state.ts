// What the CLI needs of the installed state before any command runs — which plugin commands exist,
// whether any plugin handles cli_command — read straight from state.json, without loading the
// manager and its dependencies, so that start-up stays fast.
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { InstalledPlugin, InstalledState } from '@marathon/registry';
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

/** The MARATHON_HOME this process works in: $MARATHON_HOME, or ~/.marathon. */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.MARATHON_HOME ?? join(homedir(), '.marathon'));
}

/** The state file of a home. */
export function stateFile(home: string): string {
  return join(home, 'state.json');
}

/** Commands of enabled plugins, and whether one handles cli_command. MARATHON_HOME from the environment. */
export function stateSnapshot(env: NodeJS.ProcessEnv = process.env): StateSnapshot {
  if (cached !== undefined) return cached;
  const file = stateFile(homeDir(env));
  const snapshot: StateSnapshot = { plugins: [], commands: [], cliCommandHook: false };
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      plugins?: Record<string, { status?: string; manifest?: { description?: string; commands?: Array<{ name: string; description?: string; usage?: string }>; hooks?: Array<{ name: string }> } }>;
    };
    for (const [plugin, record] of Object.entries(state.plugins ?? {})) {
      if (record.status !== 'enabled') continue;
      // Descriptions and usage are the plugin's text, printed by help: neutralised here, once.
      if ((record.manifest?.commands?.length ?? 0) > 0) snapshot.plugins.push({ name: plugin, description: terminalText(record.manifest?.description ?? '') });
      for (const command of record.manifest?.commands ?? []) {
        snapshot.commands.push({ plugin, command: command.name, description: terminalText(command.description ?? ''), usage: terminalText(command.usage ?? '') });
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
  const home = homeDir(env);
  // A sync in progress, or one whose process died (which the manager rolls back when it opens the
  // home), means the file may hold a half-synced state: let the manager answer.
  if (syncPending(home)) return undefined;
  let text: string;
  try {
    text = readFileSync(stateFile(home), 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? [] : undefined;
  }
  try {
    const state = JSON.parse(text) as Partial<InstalledState>;
    if (state.version !== 1 || typeof state.plugins !== 'object' || state.plugins === null || Array.isArray(state.plugins)) return undefined;
    return Object.values(state.plugins).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return undefined;
  }
}

/** A sync's trash in staging (`stage-<pid>-sync-…`, see @marathon/registry's stagingPrefix, not imported: this is the fast path). */
function syncPending(home: string): boolean {
  try {
    return readdirSync(join(home, 'staging')).some((name) => /^stage-\d+-sync-/.test(name));
  } catch {
    return false;
  }
}
