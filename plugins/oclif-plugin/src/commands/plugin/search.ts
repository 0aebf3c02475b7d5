import { Args, Flags } from '@oclif/core';
import { MarathonCommand, registryFlag } from '../../marathon-command';
import { searchPlugins } from '../../plugin-search-results';
import { terminalText } from '../../terminal-text';

export default class PluginSearch extends MarathonCommand {
  static override id = 'plugin:search';
  static override summary = 'Search the npm registry for Marathon plugins (packages with the keyword marathon-plugin).';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin search notifier',
    '<%= config.bin %> plugin search --registry https://npm.acme.internal/',
  ];
  static override args = { text: Args.string({ description: 'Words to look for (default: list every plugin).' }) };
  static override flags = {
    limit: Flags.integer({ description: 'At most this many results.', default: 20, min: 1, max: 250 }),
    registry: registryFlag,
  };

  async run() {
    const { args, flags } = await this.parse(PluginSearch);
    this.registry = flags.registry;
    const manager = await this.manager();
    const { registry, results } = await this.withProgress('Searching', () =>
      searchPlugins(this.npm(), manager, {
        text: args.text ?? '',
        limit: flags.limit,
        ...(flags.registry === undefined ? {} : { registryFlag: flags.registry }),
      }),
    );
    const from = flags.registry === undefined ? '' : ` --registry ${registry}`;
    if (results.length === 0) this.say(`No Marathon plugins found in ${registry}${args.text === undefined ? '' : ` for '${args.text}'`}.`);
    else {
      // Whoever published a package wrote its name, version and description: each stays in its column.
      const rows = results.map((result) => ({
        name: terminalText(result.name),
        version: terminalText(result.version),
        mark: result.installed === null ? '' : result.installed === result.version ? '✅ yes' : `⬆️  ${terminalText(result.installed)}`,
        description: terminalText(result.description),
      }));
      const width = Math.max(4, ...rows.map((row) => row.name.length)) + 2;
      this.say(`${'Name'.padEnd(width)}${'Version'.padEnd(11)}${'Installed'.padEnd(12)}Description`);
      for (const row of rows)
        this.say(`${row.name.padEnd(width)}${row.version.padEnd(11)}${row.mark.padEnd(12)}${row.description}`.trimEnd());
      this.say('');
      this.say(`Install with: marathon plugin install npm:<name>${from}, e.g. ${terminalText(results[0]?.install ?? '')}`);
    }
    return { registry, results };
  }
}
