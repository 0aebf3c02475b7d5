import { MarathonCommand } from '../../marathon-command';
import { terminalText } from '../../terminal-text';

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
    // Folder names and whatever their plugin.json holds are not ours: each stays on its line.
    for (const plugin of result.plugins)
      this.say(`  ${terminalText(plugin.name).padEnd(20)} ${terminalText(plugin.version).padEnd(10)} ${terminalText(plugin.dir)}`);
    for (const error of result.errors) this.say(`❌ ${terminalText(error.dir)}: ${terminalText(error.message.split('\n').join(' '))}`);
    for (const conflict of result.conflicts)
      this.say(`⚠️  '${terminalText(conflict.name)}' is in ${conflict.shadowed.length + 1} places; using ${terminalText(conflict.winner)}`);
    for (const modified of result.modified) this.say(`❌ ${terminalText(modified.reason)}`);
    return {
      plugins: result.plugins.map((plugin) => ({
        name: plugin.name,
        version: plugin.version,
        dir: plugin.dir,
        search_path: plugin.searchPath,
      })),
      errors: result.errors.map((error) => ({ dir: error.dir, message: error.message })),
      conflicts: result.conflicts,
      modified: result.modified,
    };
  }
}
