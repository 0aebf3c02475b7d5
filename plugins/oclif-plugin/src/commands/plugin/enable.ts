import { Args } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginEnable extends MarathonCommand {
  static override id = 'plugin:enable';
  static override summary = 'Enable a plugin, and first the plugins it needs.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin enable hello-world'];
  static override args = { name: Args.string({ description: 'The plugin to enable.', required: true }) };

  async run() {
    const { args } = await this.parse(PluginEnable);
    const manager = await this.manager();
    const enabled = await this.withProgress(`Enabling ${args.name}`, () => manager.enable(args.name));
    for (const name of enabled)
      this.say(
        name === args.name
          ? `✅ Plugin '${name}' enabled successfully`
          : `✅ Plugin '${name}' enabled successfully (needed by '${args.name}')`,
      );
    if (enabled.length === 0) this.say(`✅ Plugin '${args.name}' is already enabled`);
    return { enabled };
  }
}
