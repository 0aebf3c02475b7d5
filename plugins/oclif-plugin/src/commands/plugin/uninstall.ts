import { Args, Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginUninstall extends MarathonCommand {
  static override id = 'plugin:uninstall';
  static override summary = 'Uninstall a plugin and remove its data.';
  static override description = [
    "Removes the plugin's installed copy and, unless --keep-data, its data folder and store.",
    "The operator's settings of it (marathon plugin config) are kept for a reinstall, unless --purge.",
  ].join(' ');
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin uninstall hello-world',
    '<%= config.bin %> plugin uninstall notes --keep-data',
    '<%= config.bin %> plugin uninstall task-policy --purge',
  ];
  static override args = { name: Args.string({ description: 'The plugin to uninstall.', required: true }) };
  static override flags = {
    'keep-data': Flags.boolean({ description: "Keep the plugin's data folder and store." }),
    purge: Flags.boolean({ description: "Remove the operator's settings of it too (kept otherwise, for a reinstall)." }),
  };

  async run() {
    const { args, flags } = await this.parse(PluginUninstall);
    const manager = await this.manager();
    const settings = (await manager.settings(args.name)).settings.filter((row) => row.source === 'operator').length;
    await manager.uninstall(args.name, { keepData: flags['keep-data'], purge: flags.purge });
    this.say(`✅ Plugin '${args.name}' uninstalled successfully`);
    const removed = ['its installed copy', ...(flags['keep-data'] ? [] : ['its data folder and store'])];
    if (flags.purge && settings > 0) removed.push(`its settings (${settings})`);
    this.say(`Removed: ${removed.join(', ')}`);
    if (flags['keep-data']) this.say('Kept: its data folder and store');
    if (!flags.purge && settings > 0)
      this.say(`Kept: its settings (${settings}), for a reinstall; marathon plugin uninstall ${args.name} --purge removes them too`);
    return {
      uninstalled: args.name,
      kept_data: flags['keep-data'],
      settings: { count: settings, removed: flags.purge === true && settings > 0 },
    };
  }
}
