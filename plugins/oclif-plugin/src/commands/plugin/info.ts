import { join } from 'node:path';
import { Args } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';
import { terminalText } from '../../terminal-text';
import { STATUS_LABELS } from '../../plugin-table';

function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(2)} ms`;
}

export default class PluginInfo extends MarathonCommand {
  static override id = 'plugin:info';
  static override summary = 'Show a plugin: manifest, status, granted permissions, signature, load times and hook metrics.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin info hello-world'];
  static override args = { name: Args.string({ description: 'The plugin.', required: true }) };

  async run() {
    const { args } = await this.parse(PluginInfo);
    const manager = await this.manager();
    const info = await manager.info(args.name);
    const { record } = info;
    const { manifest } = record;
    // The status against the keys trusted now, not the one recorded at install: a key removed
    // since makes a plugin it signed untrusted, and this is where the operator looks.
    const { loadTrustedKeys, verifyPlugin } = await import('@marathon/security/trust');
    const signature = await verifyPlugin(
      join(manager.home.installedDir, record.folder),
      (await loadTrustedKeys(manager.home.keysDir)).keys,
      record,
    );
    const recorded = signature.status === record.signature ? '' : ` (${record.signature} at install)`;
    // A search-path install records the folder it was found in: updates come from there only.
    const { location } = record.source as { location?: string };
    const rows: Array<[string, string]> = [
      ['Name', record.name],
      ['Version', record.version],
      ['Status', `${STATUS_LABELS[record.status]}${record.error === undefined ? '' : ` (${record.error})`}`],
      ['Description', manifest.description || '(none)'],
      ['Author', manifest.author === undefined ? '(none)' : manifest.author.name],
      ['Plugin API', `^${manifest.api_version}`],
      ['Permissions', record.granted_permissions.join(', ') || '(none)'],
      ['Hooks', manifest.hooks.map((hook) => `${hook.name} (priority ${hook.priority})`).join(', ') || '(none)'],
      ['Commands', manifest.commands.map((command) => [command.name, command.usage].filter(Boolean).join(' ')).join(', ') || '(none)'],
      [
        'Dependencies',
        Object.entries(manifest.dependencies)
          .map(([name, range]) => `${name} ${range}`)
          .join(', ') || '(none)',
      ],
      ['Signature', `${signature.status}${recorded}: ${signature.message}`],
      ['Source', `${record.source.kind} ${record.source.spec}${location === undefined ? '' : ` (${location})`}`],
      ['Installed', record.installed_at],
      [
        'Load time',
        info.timings === undefined
          ? '(not loaded yet)'
          : `${info.timings.load_ms.toFixed(1)} ms load, ${info.timings.init_ms.toFixed(1)} ms init`,
      ],
    ];
    // Most values are the plugin's own words (description, author, usage, its load error): one row each.
    for (const [label, value] of rows) this.say(`${`${label}:`.padEnd(14)}${terminalText(value)}`);
    // The author's declaration and the operator's changes side by side, when there are any.
    const settings = (await manager.settings(args.name)).settings.filter((row) => row.source === 'operator');
    const authority = (await manager.authority(args.name)).rows.filter((row) => row.operator !== undefined);
    if (settings.length + authority.length > 0) {
      this.say('');
      this.say("Operator's changes (plugin.json → this host):");
      const text = (value: unknown) => (Array.isArray(value) ? value.join(', ') || '(none)' : String(value));
      for (const row of authority)
        this.say(`  ${row.key.padEnd(18)}${terminalText(text(row.author))} → ${terminalText(text(row.operator))}`);
      for (const row of settings) {
        const declared = row.declaration.default === undefined ? '(no default)' : JSON.stringify(row.declaration.default);
        this.say(`  ${`setting ${row.key}`.padEnd(18)}${terminalText(declared)} → ${terminalText(row.display)}`);
      }
    }
    if (info.metrics.length > 0) {
      this.say('');
      this.say('Hook metrics:');
      for (const row of info.metrics) {
        this.say(
          `  ${terminalText(row.hook).padEnd(20)}${String(row.calls).padStart(6)} calls  ` +
            `${(row.success_rate * 100).toFixed(1).padStart(5)}% ok  p50 ${ms(row.p50_ns)}  p95 ${ms(row.p95_ns)}`,
        );
      }
    }
    return {
      plugin: record,
      signature: { status: signature.status, message: signature.message },
      timings: info.timings ?? null,
      metrics: info.metrics,
      operator: { settings, authority },
    };
  }
}
