// Appends one JSON line per executed task to tasks.jsonl in the plugin's data folder
// (MARATHON_HOME/data/task-audit-log/), and shows the newest with `tail [n]`.
import { definePlugin, failure, success } from '@marathon/plugin-api';

const LOG_FILE = 'tasks.jsonl';

interface Entry {
  id: string;
  name: string;
  command: string;
  args: string[];
  submitted_by: string;
  exit_code: number | null;
  duration_ms: number | null;
  recorded_at: string;
}

function describe(entry: Entry): string {
  const took = entry.duration_ms === null ? '' : ` in ${(entry.duration_ms / 1000).toFixed(1)} s`;
  const command = [entry.command, ...entry.args].join(' ');
  return `${entry.recorded_at}  ${entry.name} (${command}) by ${entry.submitted_by}: exit ${entry.exit_code ?? '?'}${took}`;
}

export default definePlugin({
  hooks: {
    post_task_execute: async (ctx, event) => {
      const { task, result } = event;
      const entry: Entry = {
        id: task.id,
        name: task.name,
        command: task.command,
        args: task.args,
        submitted_by: task.submitted_by,
        exit_code: result?.exit_code ?? null,
        duration_ms: result?.duration_ms ?? null,
        recorded_at: new Date().toISOString(),
      };
      await ctx.fs.append(LOG_FILE, `${JSON.stringify(entry)}\n`);
      return success(`recorded ${task.id}`);
    },
  },
  commands: {
    tail: async (ctx, args) => {
      const count = args[0] === undefined ? 10 : Number(args[0]);
      if (!Number.isInteger(count) || count < 1) return failure(`tail takes a positive whole number, not '${args[0]}'`);
      let text: string;
      try {
        text = await ctx.fs.read(LOG_FILE);
      } catch {
        return 'No tasks recorded yet.';
      }
      const lines = text.split('\n').filter((line) => line !== '');
      return lines
        .slice(-count)
        .map((line) => describe(JSON.parse(line) as Entry))
        .join('\n');
    },
  },
});
