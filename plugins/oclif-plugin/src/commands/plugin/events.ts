import { Flags } from '@oclif/core';
import { HOOK_TYPES, type HookType } from '@marathon/plugin-api';
import { MarathonCommand } from '../../marathon-command';
import { isoTime, withIsoTime } from '../../json-time';
import { terminalText } from '../../terminal-text';

export default class PluginEvents extends MarathonCommand {
  static override id = 'plugin:events';
  static override summary = 'Show the recorded hook calls (event history), newest last.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin events --plugin hello-world --limit 5'];
  static override flags = {
    plugin: Flags.string({ description: 'Only this plugin.' }),
    hook: Flags.string({ description: 'Only this hook.', options: [...HOOK_TYPES] }),
    limit: Flags.integer({ description: 'At most this many, the newest.', default: 20, min: 1 }),
  };

  async run() {
    const { flags } = await this.parse(PluginEvents);
    const manager = await this.manager();
    const records = (
      await manager.eventHistory({
        ...(flags.plugin === undefined ? {} : { plugin: flags.plugin }),
        ...(flags.hook === undefined ? {} : { hook: flags.hook as HookType }),
      })
    ).slice(-flags.limit);
    if (records.length === 0) this.say('No events recorded yet.');
    for (const record of records) {
      const when = isoTime(record.timestamp);
      const status = record.success ? '✅' : '❌';
      const plugin = terminalText(record.plugin_name).padEnd(20);
      const duration = (record.duration_ns / 1e6).toFixed(2).padStart(8);
      const message = terminalText(record.result_message ?? '');
      this.say(`${when}  ${status} ${record.hook_type.padEnd(18)} ${plugin} ${duration} ms  ${message}`.trimEnd());
    }
    return { events: records.map((record) => withIsoTime(record, 'timestamp')) };
  }
}
