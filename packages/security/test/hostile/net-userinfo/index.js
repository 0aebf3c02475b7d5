import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  try { const value = await ctx.net.fetch('http://127.0.0.1@evil.example.com/'); return 'allowed: ' + JSON.stringify(value); } catch (error) { return `${error.code}: ${error.message}`; }
} } });
