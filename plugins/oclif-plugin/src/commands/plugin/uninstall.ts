import { Args, Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginUninstall extends MarathonCommand {
  static override id = 'plugin:uninstall';
  static override summary = 'Uninstall a plugin and remove its data.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin uninstall hello-world', '<%= config.bin %> plugin uninstall notes --keep-data'];
  static override args = { name: Args.string({ description: 'The plugin to uninstall.', required: true }) };
  static override flags = { 'keep-data': Flags.boolean({ description: "Keep the plugin's data folder and store." }) };

  async run() {
    const { args, flags } = await this.parse(PluginUninstall);
    const manager = await this.manager();
    await manager.uninstall(args.name, { keepData: flags['keep-data'] });
    this.say(`✅ Plugin '${args.name}' uninstalled successfully`);
    return { uninstalled: args.name, kept_data: flags['keep-data'] };
  }
}
