import { Args, Flags } from '@oclif/core';
import type { PluginSettings } from '@marathon/manager';
import { MarathonCommand } from '../../marathon-command';
import { terminalText } from '../../terminal-text';

type SettingRow = PluginSettings['settings'][number];

function sourceOf(row: SettingRow): string {
  if (row.source === 'operator') {
    const fallback = row.declaration.default === undefined ? 'no default' : `default ${JSON.stringify(row.declaration.default)}`;
    return `set by the operator; ${fallback}`;
  }
  return 'default';
}

/** One setting for people: `key = value  (where it comes from)`, then its description; plugin text made safe for the terminal. */
function describe(row: SettingRow): string[] {
  const secret = row.declaration.secret === true ? ', secret' : '';
  const head =
    row.source === 'unset'
      ? `${row.key} is not set  (no default${secret})`
      : `${row.key} = ${terminalText(row.display)}  (${sourceOf(row)}${secret})`;
  const lines = [head, `  ${terminalText(row.declaration.description)}`];
  // A stored value the plugin's version no longer accepts: the plugin gets the default, and the operator is told why.
  if (row.problem !== undefined) lines.push(`  ⚠️  ${terminalText(row.problem)}`);
  return lines;
}

// oclif renders descriptions and examples as lodash templates, in which `${…}` is an interpolation
// (`marathon commands` failed with "NAME is not defined"): a literal ${NAME} is written
// $<%= '{' %>NAME}, which renders as ${NAME}.
export default class PluginConfig extends MarathonCommand {
  static override id = 'plugin:config';
  static override summary = "Show or change a plugin's settings.";
  static override description = [
    'A plugin declares its settings in plugin.json (`configuration`); the operator sets their values here and the plugin reads them',
    'as ctx.config from its next load. Values are checked against the declaration, and plugins handling config_validate may refuse',
    'a combination. A secret setting takes a reference to an environment variable, $<%= "{" %>NAME}: only that reference is stored, shown',
    "and exported; the plugin gets the variable's value. Settings live in the installed state, not in the plugin's files (its",
    'signature still verifies); they survive an uninstall and travel with `plugin export` and `plugin sync`.',
  ].join(' ');
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin config task-policy',
    '<%= config.bin %> plugin config task-policy timeout_s 600',
    '<%= config.bin %> plugin config task-policy rules \'["^rm -rf /", "^shutdown"]\'',
    "<%= config.bin %> plugin config webhook-notifier token '$<%= '{' %>WEBHOOK_TOKEN}'",
    '<%= config.bin %> plugin config task-policy timeout_s --unset',
  ];
  static override args = {
    name: Args.string({ description: 'The plugin.', required: true }),
    key: Args.string({ description: 'One of its settings (omit to show them all).' }),
    value: Args.string({ description: 'The value to set: a list as JSON (["a","b"]) or comma-separated; a secret as $<%= "{" %>NAME}.' }),
  };
  static override flags = {
    unset: Flags.boolean({ description: "Remove the operator's value: the plugin sees the default again." }),
  };

  async run(): Promise<PluginSettings> {
    const { args, flags } = await this.parse(PluginConfig);
    const manager = await this.manager();
    // Loaded with the manager, not at import: every command module is imported at start-up.
    const { ManagerError } = await import('@marathon/manager');
    const { parseSettingInput } = await import('@marathon/manifest');
    if (args.key === undefined) {
      if (flags.unset)
        throw new ManagerError('SETTING_UNKNOWN', 'name the setting to unset, e.g. marathon plugin config task-policy timeout_s --unset');
      const shown = await manager.settings(args.name);
      if (shown.settings.length === 0) this.say(`Plugin '${args.name}' declares no settings.`);
      else this.say(`Settings of ${args.name}:`);
      for (const row of shown.settings) for (const line of describe(row)) this.say(line);
      if (shown.undeclared.length > 0) this.say(`Set but no longer declared (ignored): ${shown.undeclared.join(', ')}`);
      return shown;
    }
    if (flags.unset && args.value !== undefined)
      throw new ManagerError('SETTING_INVALID', 'give either a value or --unset, e.g. marathon plugin config task-policy timeout_s 600');
    if (!flags.unset && args.value === undefined) {
      const shown = await manager.settings(args.name, args.key);
      for (const row of shown.settings) for (const line of describe(row)) this.say(line);
      return shown;
    }
    const current = await manager.settings(args.name);
    const declaration = current.settings.find((candidate) => candidate.key === args.key)?.declaration;
    const value = flags.unset || declaration === undefined ? args.value : parseSettingInput(declaration, args.value!);
    const changed = flags.unset ? await manager.unsetSetting(args.name, args.key) : await manager.setSetting(args.name, args.key, value);
    const row = changed.settings.find((candidate) => candidate.key === args.key)!;
    this.say(
      flags.unset
        ? `✅ ${args.name}: ${args.key} is back to ${row.source === 'default' ? `its default, ${terminalText(row.display)}` : 'unset'}`
        : `✅ ${args.name}: ${args.key} = ${terminalText(row.display)}`,
    );
    return changed;
  }
}
