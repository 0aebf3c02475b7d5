import { MarathonCommand } from '../../marathon-command';

export default class PluginRefresh extends MarathonCommand {
  static override id = 'plugin:refresh';
  static override summary = 'Rediscover the plugins in the search paths and re-check installed ones for changes.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin refresh'];

  async run() {
    await this.parse(PluginRefresh);
    const manager = await this.manager();
    const result = await this.withProgress('Scanning the search paths', () => manager.refresh());
    this.say(`Discovered ${result.plugins.length} plugin${result.plugins.length === 1 ? '' : 's'} in the search paths:`);
    for (const plugin of result.plugins) this.say(`  ${plugin.name.padEnd(20)} ${plugin.version.padEnd(10)} ${plugin.dir}`);
    for (const error of result.errors) this.say(`❌ ${error.dir}: ${error.message.split('\n').join(' ')}`);
    for (const conflict of result.conflicts) this.say(`⚠️  '${conflict.name}' is in ${conflict.shadowed.length + 1} places; using ${conflict.winner}`);
    for (const modified of result.modified) this.say(`❌ ${modified.reason}`);
    return {
      plugins: result.plugins.map((plugin) => ({ name: plugin.name, version: plugin.version, dir: plugin.dir, search_path: plugin.searchPath })),
      errors: result.errors.map((error) => ({ dir: error.dir, message: error.message })),
      conflicts: result.conflicts,
      modified: result.modified,
    };
  }
}
