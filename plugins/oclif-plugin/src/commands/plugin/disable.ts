import { Args, Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginDisable extends MarathonCommand {
  static override id = 'plugin:disable';
  static override summary = 'Disable a plugin.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin disable hello-world', '<%= config.bin %> plugin disable base --cascade'];
  static override args = { name: Args.string({ description: 'The plugin to disable.', required: true }) };
  static override flags = { cascade: Flags.boolean({ description: 'Also disable the enabled plugins that depend on it.' }) };

  async run() {
    const { args, flags } = await this.parse(PluginDisable);
    const manager = await this.manager();
    const disabled = await manager.disable(args.name, { cascade: flags.cascade });
    for (const name of disabled)
      this.say(
        name === args.name
          ? `✅ Plugin '${name}' disabled successfully`
          : `✅ Plugin '${name}' disabled successfully (it depends on '${args.name}')`,
      );
    return { disabled };
  }
}
