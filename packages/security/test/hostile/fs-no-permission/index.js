import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  try { const value = await ctx.fs.read('notes.txt'); return 'allowed: ' + JSON.stringify(value); } catch (error) { return `${error.code}: ${error.message}`; }
} } });
