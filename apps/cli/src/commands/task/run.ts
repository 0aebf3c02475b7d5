import { randomUUID } from 'node:crypto';
import { Flags } from '@oclif/core';
import { debugEnabled, MarathonCommand, pluginStackLines, pluginStackOf, terminalText } from '@marathon/oclif-plugin';
import type { Task } from '@marathon/plugin-api';
import { currentUser } from '../../current-user';
import { RefusalError } from '../../refusal-error';
import { timeoutRefusal } from '../../task-timeout';
import { runTaskProcess } from '../../task-process';
import { splitTaskArgv } from '../../task-argv';

function isTask(value: unknown): value is Task {
  if (typeof value !== 'object' || value === null) return false;
  const task = value as Partial<Task>;
  return (
    typeof task.command === 'string' &&
    task.command !== '' &&
    Array.isArray(task.args) &&
    task.args.every((arg) => typeof arg === 'string') &&
    (task.timeout_ms === undefined || (typeof task.timeout_ms === 'number' && Number.isFinite(task.timeout_ms) && task.timeout_ms > 0))
  );
}

export default class TaskRun extends MarathonCommand {
  static override id = 'task:run';
  static override summary = 'Run a command as a Marathon task, with the task hooks of enabled plugins firing around it.';
  static override description = [
    'Fires user_authz (action task.submit), pre_task_submit (plugins may refuse the task, ' +
      'or rewrite it with task_write), post_task_submit and pre_task_execute (may refuse),',
    'then runs the command without a shell, streaming its output, fires post_task_execute ' +
      "with the exit code and duration, and exits with the command's exit code.",
    'A task given a timeout_ms (by a plugin with task_write) is stopped when it runs past it (exit code 124).',
  ].join(' ');
  static override strict = false;
  static override usage = 'task run [--name <value>] -- <command> [args...]';
  static override examples = [
    '<%= config.bin %> task run -- echo hello',
    '<%= config.bin %> task run --name nightly-backup -- ./backup.sh --full',
  ];
  static override flags = {
    name: Flags.string({ description: 'Task name shown to plugins (default: the command).' }),
  };

  /** "plugin hook" → the error of that plugin's failed call (collected only with DEBUG). */
  private readonly hookErrors = new Map<string, Error>();

  async run(): Promise<void> {
    // After the first `--`, the raw argv as given (see task-argv.ts); oclif parses only what is before it.
    const split = splitTaskArgv(this.argv);
    const { argv: parsed, flags } = await this.parse(TaskRun, split.flags);
    if (split.command !== undefined && parsed.length > 0) {
      throw new RefusalError(
        'TASK_COMMAND_MISSING',
        `the command goes after --, and '${String(parsed[0])}' came before it: marathon task run [--name <value>] -- <command> [args...]`,
      );
    }
    const [command, ...args] = split.command ?? (parsed as string[]);
    if (command === undefined || command === '') {
      throw new RefusalError('TASK_COMMAND_MISSING', 'no command given. Put it after --, e.g.: marathon task run -- echo hello');
    }
    const manager = await this.manager();
    // With DEBUG, the error behind each failed hook call, for the plugin's own stack (plugin-stack.ts).
    if (debugEnabled()) manager.events.on('hook_failed', ({ plugin, hook, error }) => this.hookErrors.set(`${plugin} ${hook}`, error));
    const user = currentUser();
    const name = flags.name ?? command;

    const authz = await manager.dispatch('user_authz', { username: user, action: 'task.submit', resource: name });
    if (authz.vetoed) throw this.refused(authz);

    const submitted: Task = { id: randomUUID(), name, command, args, submitted_by: user, submitted_at: new Date().toISOString() };
    const submit = await manager.dispatch('pre_task_submit', { task: submitted });
    if (submit.vetoed) throw this.refused(submit);
    // A plugin with task_write may have rewritten the task (its result_data is the new event,
    // `{ task }`; a bare task is accepted too). It must still be something we can run.
    const rewritten: unknown = submit.data;
    const task = isTask(rewritten) ? rewritten : (rewritten as { task?: unknown }).task;
    if (!isTask(task))
      throw new RefusalError(
        'TASK_VETOED',
        `the task was rewritten by pre_task_submit into something that cannot run (it needs a command, string arguments and a positive timeout_ms if any)`,
      );
    const timeoutRefused = timeoutRefusal(task.timeout_ms, lastWriter(submit));
    if (timeoutRefused !== undefined) throw timeoutRefused;
    this.reportFailures(await manager.dispatch('post_task_submit', { task }));

    const execute = await manager.dispatch('pre_task_execute', { task });
    if (execute.vetoed) throw this.refused(execute);

    const result = await runTaskProcess(task.command, task.args, task.timeout_ms === undefined ? {} : { timeoutMs: task.timeout_ms });
    // The command and the task's name may be a plugin's (task_write): each stays on its line.
    if (result.startError !== undefined) this.sayError(`❌ ${terminalText(result.startError)}`);
    if (result.timedOut === true)
      this.sayError(`⏱️  task '${terminalText(task.name)}' was stopped after its timeout of ${task.timeout_ms} ms`);
    this.reportFailures(
      await manager.dispatch('post_task_execute', { task, result: { exit_code: result.exit_code, duration_ms: result.duration_ms } }),
    );
    process.exitCode = result.exit_code;
  }

  /**
   * A post_* hook cannot refuse anything, so its failures change nothing — but a plugin that did
   * not do its job (a notification not sent) is said on stderr, naming it; `plugin logs` and
   * `plugin events` tell more. The task's exit code stays the command's.
   */
  private reportFailures(outcome: {
    hook: string;
    results: ReadonlyArray<{ plugin: string; result: { success: boolean; message?: string } }>;
  }): void {
    for (const { plugin, result } of outcome.results) {
      if (result.success) continue;
      // The message is the plugin's (or the sandbox's, naming it already): one line.
      const reason = (result.message ?? 'no reason given').replace(`plugin '${plugin}' failed: `, '');
      this.sayError(`⚠️  plugin '${terminalText(plugin)}' failed in ${outcome.hook}: ${terminalText(reason)}`);
      const stack = pluginStackOf(this.hookErrors.get(`${plugin} ${outcome.hook}`));
      if (stack !== undefined) for (const line of pluginStackLines(stack)) this.sayError(line);
    }
  }

  /** The refusal of a vetoed hook; with DEBUG, the error of a veto that threw is its cause, for its stack. */
  private refused(outcome: { hook: string; vetoedBy?: string; vetoReason?: string }): RefusalError {
    const refusal = new RefusalError('TASK_VETOED', `task refused: ${outcome.vetoReason ?? 'a plugin refused it'}. Nothing was run.`);
    const cause = this.hookErrors.get(`${outcome.vetoedBy ?? ''} ${outcome.hook}`);
    if (cause !== undefined) refusal.cause = cause;
    return refusal;
  }
}

/** The plugin whose result_data the task came from (the last one that wrote), if any did. */
function lastWriter(outcome: { results: ReadonlyArray<{ plugin: string; result: { result_data?: unknown } }> }): string | undefined {
  return [...outcome.results].reverse().find((entry) => entry.result.result_data !== undefined)?.plugin;
}
