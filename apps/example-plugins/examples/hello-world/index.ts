// The hello-world plugin of docs/design.md: two commands and a hook that logs every finished task.
import { definePlugin, success } from '@marathon/plugin-api';

export default definePlugin({
  hooks: {
    post_task_execute: async (ctx, event) => {
      ctx.log.info('task finished', { id: event.task.id, exit_code: event.result?.exit_code ?? null });
      return success('logged');
    },
  },
  commands: {
    hello: () => 'Hello, World!',
    greet: (ctx, args) => `Hello, ${args[0] ?? 'World'}! Greetings from the hello-world plugin.`,
  },
});
