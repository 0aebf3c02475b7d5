import { definePlugin } from '@marathon/plugin-api';
export default definePlugin({
  commands: {
    attack: (ctx) => {
      (async () => { for (let i = 0; ; i++) await ctx.storage.set('tick', i); })();
      return 'returned';
    },
  },
});
