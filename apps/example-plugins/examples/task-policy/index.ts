// A pre_task_submit policy: refuses a task whose command line matches one of the deny rules (a
// veto), and otherwise passes on the task with a default timeout added (a task_write rewrite, seen
// by the handlers after it and by the host). The rules and the timeout are the operator's settings
// (plugin.json's `configuration`, changed with `marathon plugin config task-policy …`), so the
// policy is the operator's to choose and travels with `plugin export`; the plugin only reads it.
// It depends on task-audit-log, so the audit log is enabled first.
import { definePlugin, failure, success, type HookResult, type Task } from '@marathon/plugin-api';

// Both settings have defaults in plugin.json, so the host always gives them.
type Settings = {
  rules: string[];
  timeout_s: number;
};

function commandLine(task: Task): string {
  return [task.command, ...task.args].join(' ');
}

/** Why `rule` cannot be used, or undefined when it compiles. */
function ruleProblem(rule: string): string | undefined {
  try {
    new RegExp(rule);
    return undefined;
  } catch (error) {
    return `/${rule}/ is not a valid regular expression: ${(error as Error).message}`;
  }
}

export default definePlugin<Settings>({
  hooks: {
    pre_task_submit: (ctx, event) => {
      const { rules, timeout_s } = ctx.config;
      const line = commandLine(event.task);
      for (const rule of rules) {
        // A broken rule can only arrive while this plugin was not there to refuse it (disabled, or a
        // sync): a policy that cannot tell what it denies refuses rather than let everything through.
        const problem = ruleProblem(rule);
        if (problem !== undefined) return failure(`${problem}; fix it with marathon plugin config task-policy rules`);
        if (new RegExp(rule).test(line)) return failure(`'${line}' matches the deny rule /${rule}/`);
      }
      if (event.task.timeout_ms !== undefined || timeout_s === 0) return success('allowed');
      return success(`allowed, timeout ${timeout_s} s`, { task: { ...event.task, timeout_ms: timeout_s * 1000 } });
    },
    // Fired for every plugin's settings (and for config.json by `marathon config validate`): only
    // this plugin's rules are its business.
    config_validate: (_ctx, event): HookResult => {
      const { plugin, settings } = event.config as { plugin?: unknown; settings?: { rules?: unknown } };
      if (plugin !== 'task-policy' || !Array.isArray(settings?.rules)) return success();
      const problems = settings.rules.flatMap((rule) => {
        const problem = typeof rule === 'string' ? ruleProblem(rule) : `${JSON.stringify(rule)} is not a string`;
        return problem === undefined ? [] : [problem];
      });
      return problems.length === 0 ? success('rules compile') : failure(problems.join('; '));
    },
  },
  commands: {
    rules: (ctx) => {
      const { rules, timeout_s } = ctx.config;
      return [...rules.map((rule) => `deny /${rule}/`), `default timeout: ${timeout_s === 0 ? 'none' : `${timeout_s} s`}`].join('\n');
    },
  },
});
