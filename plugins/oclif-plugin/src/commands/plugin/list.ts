import { Flags } from '@oclif/core';
import type { PluginStatus } from '@marathon/registry';
import { MarathonCommand } from '../../marathon-command';
import { readInstalledPlugins } from '../../marathon-state';
import { pluginTable } from '../../plugin-table';
import { terminalText } from '../../terminal-text';

export default class PluginList extends MarathonCommand {
  static override id = 'plugin:list';
  static override summary = 'List installed plugins and their status.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin list',
    '<%= config.bin %> plugin list --status enabled',
    '<%= config.bin %> plugin list --json',
  ];
  static override flags = {
    status: Flags.string({ description: 'Only plugins with this status.', options: ['enabled', 'disabled', 'error'] }),
  };

  async run() {
    const { flags } = await this.parse(PluginList);
    // Listing only reads state.json: done without loading the manager, which keeps this command
    // about as fast as oclif itself; an unreadable state goes to the manager for a proper error.
    const installed = readInstalledPlugins() ?? (await (await this.manager()).list());
    const plugins = flags.status === undefined ? installed : installed.filter((plugin) => plugin.status === flags.status);
    for (const line of pluginTable(plugins)) this.say(line);
    // The table has no room for why a plugin is in error, and the reason is what says how to get it
    // back (a quarantine ends with the enable command to run): one line each, under the summary.
    const failed = plugins.filter((plugin) => plugin.status === 'error' && plugin.error !== undefined);
    if (failed.length > 0) this.say('');
    for (const plugin of failed) this.say(`❌ ${terminalText(plugin.name)}: ${terminalText(plugin.error ?? '')}`);
    const count = (status: PluginStatus) => plugins.filter((plugin) => plugin.status === status).length;
    return {
      plugins: plugins.map((plugin) => ({
        name: plugin.name,
        version: plugin.version,
        status: plugin.status,
        ...(plugin.error === undefined ? {} : { error: plugin.error }),
        description: plugin.manifest.description,
        permissions: plugin.granted_permissions,
        signature: plugin.signature,
        source: plugin.source,
      })),
      summary: { total: plugins.length, enabled: count('enabled'), disabled: count('disabled'), errors: count('error') },
    };
  }
}
