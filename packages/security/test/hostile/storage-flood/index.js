import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  await ctx.storage.set('keep', 'me');
  try { for (let i = 0; i < 100; i++) await ctx.storage.set('k' + i, 'x'.repeat(60000)); return 'no limit'; }
  catch (error) { return `${error.code}: ${error.message} | keep=${await ctx.storage.get('keep')}`; }
} } });
