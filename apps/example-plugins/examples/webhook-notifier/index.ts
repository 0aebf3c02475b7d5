// Posts each executed task's result as JSON to the webhook in MARATHON_WEBHOOK_URL. The sandbox lets
// it reach only the host its manifest allows (hooks.example.com: put yours there), and read only
// that one environment variable; network + env_vars together need the operator's explicit consent.
import { definePlugin, failure, success, type Context, type HookResult } from '@marathon/plugin-api';

async function post(ctx: Context, message: Record<string, unknown>): Promise<HookResult> {
  const url = ctx.env.get('MARATHON_WEBHOOK_URL');
  if (url === undefined || url === '') return success('no webhook configured (set MARATHON_WEBHOOK_URL)');
  const response = await ctx.net.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    timeout_ms: 5000,
  });
  if (!response.ok) return failure(`the webhook answered ${response.status}`);
  return success(`posted (${response.status})`);
}

export default definePlugin({
  hooks: {
    post_task_execute: (ctx, event) => {
      const { task, result } = event;
      const code = result?.exit_code ?? null;
      const icon = code === 0 ? '✅' : '❌';
      const seconds = result === undefined ? '' : ` in ${(result.duration_ms / 1000).toFixed(1)} s`;
      return post(ctx, {
        text: `${icon} ${task.name} finished with exit code ${code ?? '?'}${seconds}`,
        task: { id: task.id, name: task.name, command: task.command, args: task.args, submitted_by: task.submitted_by },
        result: result ?? null,
      });
    },
  },
  commands: {
    test: async (ctx) => {
      const outcome = await post(ctx, { text: 'Test message from the Marathon webhook-notifier plugin' });
      return outcome.success ? `✅ ${outcome.message ?? 'posted'}` : outcome;
    },
  },
});
