// A pre_task_submit policy: refuses a task whose command line matches one of the deny rules (a
// veto), and otherwise passes on the task with a default timeout added (a task_write rewrite, seen
// by the handlers after it and by the host). Rules live in the plugin's store and are changed
// with its commands. It depends on task-audit-log, so the audit log is enabled first.
import { definePlugin, failure, success, type Context, type Task } from '@marathon/plugin-api';

const DEFAULT_RULES = ['^rm -rf /( |$)', '\\bmkfs(\\.| |$)', '^dd .*of=/dev/'];
const DEFAULT_TIMEOUT_S = 3600;

interface Policy {
  rules: string[];
  timeout_s: number;
}

async function policy(ctx: Context): Promise<Policy> {
  const stored = (await ctx.storage.get('policy')) as Policy | undefined;
  return stored ?? { rules: [...DEFAULT_RULES], timeout_s: DEFAULT_TIMEOUT_S };
}

async function save(ctx: Context, next: Policy): Promise<void> {
  await ctx.storage.set('policy', { rules: next.rules, timeout_s: next.timeout_s });
}

function commandLine(task: Task): string {
  return [task.command, ...task.args].join(' ');
}

export default definePlugin({
  hooks: {
    pre_task_submit: async (ctx, event) => {
      const { rules, timeout_s } = await policy(ctx);
      const line = commandLine(event.task);
      const broken = rules.find((rule) => new RegExp(rule).test(line));
      if (broken !== undefined) return failure(`'${line}' matches the deny rule /${broken}/`);
      if (event.task.timeout_ms !== undefined || timeout_s === 0) return success('allowed');
      return success(`allowed, timeout ${timeout_s} s`, { task: { ...event.task, timeout_ms: timeout_s * 1000 } });
    },
  },
  commands: {
    rules: async (ctx) => {
      const { rules, timeout_s } = await policy(ctx);
      return [...rules.map((rule) => `deny /${rule}/`), `default timeout: ${timeout_s === 0 ? 'none' : `${timeout_s} s`}`].join('\n');
    },
    deny: async (ctx, args) => {
      const rule = args.join(' ');
      if (rule === '') return failure('give the rule: marathon task-policy deny <regex>');
      try {
        new RegExp(rule);
      } catch (error) {
        return failure(`/${rule}/ is not a valid regular expression: ${(error as Error).message}`);
      }
      const current = await policy(ctx);
      if (!current.rules.includes(rule)) await save(ctx, { ...current, rules: [...current.rules, rule] });
      return `deny /${rule}/`;
    },
    allow: async (ctx, args) => {
      const rule = args.join(' ');
      const current = await policy(ctx);
      if (!current.rules.includes(rule)) return failure(`there is no rule /${rule}/; see marathon task-policy rules`);
      await save(ctx, { ...current, rules: current.rules.filter((existing) => existing !== rule) });
      return `removed /${rule}/`;
    },
    timeout: async (ctx, args) => {
      const seconds = Number(args[0]);
      if (args[0] === undefined || !Number.isInteger(seconds) || seconds < 0)
        return failure('give whole seconds: marathon task-policy timeout <seconds>');
      await save(ctx, { ...(await policy(ctx)), timeout_s: seconds });
      return seconds === 0 ? 'no default timeout' : `default timeout: ${seconds} s`;
    },
  },
});
