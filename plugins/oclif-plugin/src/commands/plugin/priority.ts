import { Args, Flags } from '@oclif/core';
import type { HookPriority } from '@marathon/manager';
import { OPERATOR_PRIORITY_RANGE } from '@marathon/plugin-api';
import { MarathonCommand } from '../../marathon-command';

function describe(row: HookPriority): string {
  const source = row.override === undefined ? 'from plugin.json' : `set by the operator; plugin.json says ${row.declared}`;
  return `${row.hook.padEnd(18)} ${String(row.effective).padStart(6)}  (${source})`;
}

export default class PluginPriority extends MarathonCommand {
  static override id = 'plugin:priority';
  static override summary = "Show or override the priority a plugin's hooks run at.";
  static override description = [
    'Handlers run in priority order, higher first. A plugin.json may declare priorities from -1000 to 1000;',
    `the operator may set any whole number from ${OPERATOR_PRIORITY_RANGE.min} to ${OPERATOR_PRIORITY_RANGE.max}, ` +
      `so a plugin they trust can run before or after anything an author can declare.`,
    "The override is kept in the installed state (the plugin's files and signature are untouched) and an enabled plugin's handlers move at once.",
    'On veto-capable hooks order never decides whether a veto is heard: every handler runs until one refuses.',
  ].join(' ');
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin priority task-policy',
    '<%= config.bin %> plugin priority task-policy pre_task_submit 5000',
    '<%= config.bin %> plugin priority task-policy pre_task_submit --reset',
  ];
  static override args = {
    name: Args.string({ description: 'The plugin.', required: true }),
    hook: Args.string({ description: 'One of its hooks (omit to list them all).' }),
    priority: Args.string({
      description: `The priority to run it at: a whole number from ${OPERATOR_PRIORITY_RANGE.min} to ${OPERATOR_PRIORITY_RANGE.max}.`,
    }),
  };
  static override flags = {
    reset: Flags.boolean({ description: 'Remove the override: back to what plugin.json says.' }),
  };

  async run() {
    const { args, flags } = await this.parse(PluginPriority);
    const manager = await this.manager();
    // Loaded with the manager, not at import: every command module is imported at start-up
    // (commands.ts), and a value import here loaded the whole manager for `marathon --version`.
    const { ManagerError } = await import('@marathon/manager');
    if (args.hook === undefined) {
      if (flags.reset)
        throw new ManagerError(
          'PRIORITY_INVALID',
          'name the hook to reset, e.g. marathon plugin priority task-policy pre_task_submit --reset',
        );
      const rows = await manager.priorities(args.name);
      if (rows.length === 0) this.say(`Plugin '${args.name}' handles no hooks.`);
      for (const row of rows) this.say(describe(row));
      return { plugin: args.name, priorities: rows };
    }
    if (flags.reset === (args.priority !== undefined)) {
      throw new ManagerError(
        'PRIORITY_INVALID',
        'give either a priority or --reset, e.g. marathon plugin priority task-policy pre_task_submit 5000',
      );
    }
    if (args.priority !== undefined && !/^-?\d+$/.test(args.priority))
      throw new ManagerError('PRIORITY_INVALID', `'${args.priority}' is not a whole number`);
    const priority = args.priority === undefined ? undefined : Number(args.priority);
    const rows = await manager.setPriority(args.name, args.hook, priority);
    const row = rows.find((candidate) => candidate.hook === args.hook)!;
    this.say(
      flags.reset
        ? `✅ ${args.name} ${args.hook} runs at priority ${row.effective} again (from plugin.json)`
        : `✅ ${args.name} ${args.hook} now runs at priority ${row.effective} (plugin.json says ${row.declared})`,
    );
    return { plugin: args.name, priorities: rows };
  }
}
