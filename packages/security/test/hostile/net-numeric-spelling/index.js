import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  try { const value = await ctx.net.fetch(args[0].replace('127.0.0.1', '2130706433') + '/hello'); return 'allowed: ' + JSON.stringify(value); } catch (error) { return `${error.code}: ${error.message}`; }
} } });
