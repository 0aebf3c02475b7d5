import { Args, Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';
import { isoTime, withIsoTime } from '../../json-time';
import { terminalText } from '../../terminal-text';

export default class PluginAudit extends MarathonCommand {
  static override id = 'plugin:audit';
  static override summary = 'Show the capability calls a plugin made (files, network, environment, commands), allowed and denied.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin audit webhook-notifier',
    '<%= config.bin %> plugin audit webhook-notifier --denied',
  ];
  static override args = { name: Args.string({ description: 'The plugin.', required: true }) };
  static override flags = {
    denied: Flags.boolean({ description: 'Only denied calls.' }),
    limit: Flags.integer({ description: 'At most this many, the newest.', default: 50, min: 1 }),
  };

  async run() {
    const { args, flags } = await this.parse(PluginAudit);
    const manager = await this.manager();
    const entries = (await manager.auditTrail({ plugin: args.name, ...(flags.denied ? { allowed: false } : {}) })).slice(-flags.limit);
    if (entries.length === 0) this.say(`No capability calls recorded for '${terminalText(args.name)}'.`);
    for (const entry of entries) {
      // The target (a path, a host, a variable name) and the reason hold what the plugin asked for.
      const verdict = entry.allowed ? '✅ allowed' : `❌ denied (${terminalText(entry.reason ?? 'no reason')})`;
      this.say(`${isoTime(entry.time)}  ${terminalText(entry.capability).padEnd(12)} ${terminalText(entry.target)}  ${verdict}`);
    }
    return { audit: entries.map((entry) => withIsoTime(entry, 'time')) };
  }
}
