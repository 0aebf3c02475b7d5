// Each enabled Marathon plugin's commands as oclif commands, `marathon <plugin>:<command>` (and,
// with the space separator, `marathon <plugin> <command>`): listed in help, with their own --help
// from the manifest. Built from the installed state when the command table is imported; the
// plugin's code loads only when its command runs.
import type { Command } from '@oclif/core';
import { MarathonCommand } from './marathon-command';
import { stateSnapshot, type CommandEntry } from './marathon-state';

export function commandClass(entry: CommandEntry): Command.Class {
  return class PluginCommand extends MarathonCommand {
    static override id = `${entry.plugin}:${entry.command}`;
    static override summary = entry.description || `Run '${entry.command}' of the ${entry.plugin} plugin.`;
    static override usage = `${entry.plugin} ${entry.command}${entry.usage === '' ? '' : ` ${entry.usage}`}`;
    static override enableJsonFlag = true;
    static override strict = false;
    static override pluginName = '@marathon/oclif-plugin';

    async run() {
      const { argv } = await this.parse(PluginCommand);
      this.prewarmSandbox();
      const manager = await this.manager();
      const output = await manager.run(entry.plugin, entry.command, argv as string[]);
      if (output !== undefined) this.say(output);
      return { plugin: entry.plugin, command: entry.command, output: output ?? null };
    }
  };
}

/** Command classes by id; ids already taken (by the CLI's own commands) are skipped. */
export function pluginCommands(taken: ReadonlySet<string>): Record<string, Command.Class> {
  const commands: Record<string, Command.Class> = {};
  for (const entry of stateSnapshot().commands) {
    const id = `${entry.plugin}:${entry.command}`;
    if (!taken.has(id)) commands[id] = commandClass(entry);
  }
  return commands;
}
