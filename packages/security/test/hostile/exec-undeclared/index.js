import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  try { const value = await ctx.exec('sh', ['-c', 'echo pwned']); return 'allowed: ' + JSON.stringify(value); } catch (error) { return `${error.code}: ${error.message}`; }
} } });
