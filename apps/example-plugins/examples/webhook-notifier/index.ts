// Posts each executed task's result as JSON to the webhook the operator set (`marathon plugin
// config webhook-notifier url …`), with the optional secret `token` as a bearer token. The sandbox
// lets it reach only the host its manifest allows (hooks.example.com: put yours there), and read
// only MARATHON_WEBHOOK_URL, kept as a fallback for hosts configured before the `url` setting
// existed; network + env_vars together need the operator's explicit consent.
import { definePlugin, failure, success, type Context, type HookResult } from '@marathon/plugin-api';

// Neither has a default: each is absent until the operator sets it (a secret also while its variable is unset).
type Settings = {
  url?: string;
  token?: string;
};

async function post(ctx: Context<Settings>, message: Record<string, unknown>): Promise<HookResult> {
  const url = ctx.config.url ?? ctx.env.get('MARATHON_WEBHOOK_URL');
  if (url === undefined || url === '') return success('no webhook configured (marathon plugin config webhook-notifier url <url>)');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (ctx.config.token !== undefined && ctx.config.token !== '') headers.authorization = `Bearer ${ctx.config.token}`;
  const response = await ctx.net.fetch(url, { method: 'POST', headers, body: JSON.stringify(message), timeout_ms: 5000 });
  if (!response.ok) return failure(`the webhook answered ${response.status}`);
  return success(`posted (${response.status})`);
}

export default definePlugin<Settings>({
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
