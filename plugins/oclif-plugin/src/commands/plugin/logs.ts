import { Args, Flags } from '@oclif/core';
import type { LogEntry } from '@marathon/security/sandbox';
import { isoTime, withIsoTime } from '../../json-time';
import { MarathonCommand } from '../../marathon-command';
import { terminalJson, terminalText } from '../../terminal-text';

/** A log line as --json shows it: its time as an ISO string, its fields (kept as JSON text) as data. */
function jsonEntry(entry: LogEntry): Omit<LogEntry, 'time' | 'fields'> & { time: string; fields?: unknown } {
  if (entry.fields === undefined) return withIsoTime(entry, 'time');
  let fields: unknown = entry.fields;
  try {
    fields = JSON.parse(entry.fields);
  } catch {
    // Not JSON after all: shown as the text it is.
  }
  return { ...withIsoTime(entry, 'time'), fields };
}

export default class PluginLogs extends MarathonCommand {
  static override id = 'plugin:logs';
  static override summary = "Show what a plugin wrote with ctx.log (every process's), newest last; --follow keeps printing new lines.";
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin logs webhook-notifier',
    '<%= config.bin %> plugin logs webhook-notifier --follow',
    '<%= config.bin %> plugin logs webhook-notifier --json',
  ];
  static override args = { name: Args.string({ description: 'The plugin.', required: true }) };
  static override flags = {
    follow: Flags.boolean({
      char: 'f',
      description: 'Keep printing lines as plugins write them, until Ctrl-C (with --json: one JSON object a line).',
    }),
    limit: Flags.integer({ description: 'At most this many earlier lines, the newest.', default: 50, min: 0 }),
  };

  async run() {
    const { args, flags } = await this.parse(PluginLogs);
    const manager = await this.manager();
    const logged = await manager.pluginLogs({ plugin: args.name });
    // Logs outlive an uninstall; a name that never logged and is not installed is a typo, which
    // info refuses with its did-you-mean.
    if (logged.length === 0 && !(await manager.list()).some((plugin) => plugin.name === args.name)) await manager.info(args.name);
    const entries = flags.limit === 0 ? [] : logged.slice(-flags.limit);
    if (!flags.follow) {
      if (entries.length === 0) this.say(`No log lines recorded for '${terminalText(args.name)}'.`);
      for (const entry of entries) this.say(this.line(entry));
      return { logs: entries.map(jsonEntry) };
    }
    // Following: each line as it comes (JSON Lines with --json), until Ctrl-C.
    const print = (entry: LogEntry) => {
      if (this.jsonEnabled()) process.stdout.write(`${terminalJson(JSON.stringify(jsonEntry(entry)))}\n`);
      else this.say(this.line(entry));
    };
    await new Promise<void>((resolvePromise) => {
      const stop = manager.followPluginLogs({ plugin: args.name }, print);
      for (const entry of entries) print(entry);
      if (!this.jsonEnabled()) this.sayError(`👀 Following the logs of '${terminalText(args.name)}' (Ctrl-C to stop)`);
      process.once('SIGINT', () => {
        stop();
        resolvePromise();
      });
    });
    // Every line was printed as it came: no closing JSON document (oclif prints none for undefined).
    return undefined;
  }

  /** One log line for the terminal: the plugin's message and fields stay on it. */
  private line(entry: LogEntry): string {
    const fields = entry.fields === undefined ? '' : `  ${terminalText(entry.fields)}`;
    return `${isoTime(entry.time)}  ${entry.level.padEnd(5)}  ${terminalText(entry.message)}${fields}`;
  }
}
