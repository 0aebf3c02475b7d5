import { Args, Flags } from '@oclif/core';
import { MarathonCommand, registryFlag } from '../../marathon-command';
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
    const npm = this.npm();
    const found = await this.withProgress('Searching', () => npm.search(args.text ?? '', flags.limit));
    const installed = new Map((await manager.list()).map((plugin) => [plugin.name, plugin.version]));
    // A registry URL may carry user:password: shown, and in --json, without it.
    const registry = npm.redact(npm.settings.registry);
    // `plugin install <name>` looks in the search paths: a registry package is installed as npm:<name>.
    const from = flags.registry === undefined ? '' : ` --registry ${registry}`;
    const results = found.map((result) => ({
      ...result,
      installed: installed.get(result.name) ?? null,
      install: `marathon plugin install npm:${result.name}${from}`,
    }));
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
