import { Args } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginRun extends MarathonCommand {
  static override id = 'plugin:run';
  static override summary = 'Run a command of an enabled plugin.';
  static override enableJsonFlag = true;
  static override strict = false;
  static override examples = ['<%= config.bin %> plugin run hello-world hello', '<%= config.bin %> plugin run hello-world greet Marathon'];
  static override args = {
    plugin: Args.string({ description: 'The plugin.', required: true }),
    command: Args.string({ description: 'Its command.', required: true }),
  };

  async run() {
    const { args, argv } = await this.parse(PluginRun);
    this.prewarmSandbox();
    const manager = await this.manager();
    const output = await manager.run(args.plugin, args.command, (argv as string[]).slice(2));
    if (output !== undefined) this.say(output);
    return { plugin: args.plugin, command: args.command, output: output ?? null };
  }
}
