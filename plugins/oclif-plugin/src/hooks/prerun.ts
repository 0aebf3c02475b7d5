// Fires cli_command before every marathon command, so a plugin can veto it. Skipped, at no cost,
// when no enabled plugin handles cli_command.
import type { Hook } from '@oclif/core';
import { builtInPluginFolders } from '../built-in-plugins';
import { anyCliCommandHook } from '../command-cache';

const hook: Hook.Prerun = async function (options) {
  if (!anyCliCommandHook()) return;
  const { PluginManager } = await import('@marathon/manager');
  const manager = await PluginManager.open({ builtInPlugins: builtInPluginFolders() });
  try {
    const outcome = await manager.dispatch('cli_command', { command: options.Command.id, args: options.argv });
    if (outcome.vetoed) {
      process.stderr.write(`❌ ${outcome.vetoReason ?? 'a plugin refused this command'}\n`);
      this.exit(1);
    }
  } finally {
    await manager.close();
  }
};

export default hook;
