import { definePlugin, success } from '@marathon/plugin-api';

export default definePlugin({
  hooks: {
    post_task_execute: async (ctx, event) => {
      ctx.log.info('task finished', { id: event.task.id });
      return success('logged');
    },
  },
  commands: {
    hello: () => 'Hello, World!',
    greet: (ctx, args) => `Hello, ${args[0] ?? 'World'}! Greetings from the hello-world plugin.`,
  },
});
