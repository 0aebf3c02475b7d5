// Fires cli_command before every marathon command, so a plugin can veto it — except the commands an
// operator needs to recover from a plugin (recovery-commands.ts), which no plugin hears of. Skipped,
// at no cost, when no enabled plugin handles cli_command.
import type { Hook } from '@oclif/core';
import { builtInPluginFolders } from '../built-in-plugins';
import { anyCliCommandHook } from '../command-cache';
import { isRecoveryCommand } from '../recovery-commands';
import { terminalText } from '../terminal-text';

const hook: Hook.Prerun = async function (options) {
  if (isRecoveryCommand(options.Command.id) || !anyCliCommandHook()) return;
  const { PluginManager } = await import('@marathon/manager');
  const manager = await PluginManager.open({ builtInPlugins: builtInPluginFolders() });
  try {
    // args are the command line (a task's, passwords included): the sandbox gives them only to
    // plugins with task_read (event-filter.ts).
    const outcome = await manager.dispatch('cli_command', { command: options.Command.id, args: options.argv });
    if (outcome.vetoed) {
      // The reason is the plugin's text: one line, no control characters.
      process.stderr.write(`❌ ${terminalText(outcome.vetoReason ?? 'a plugin refused this command')}\n`);
      this.exit(1);
    }
  } finally {
    await manager.close();
  }
};

export default hook;
