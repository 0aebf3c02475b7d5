// An allowed name whose DNS answer is an IPv6 spelling of a private IPv4 (or a local-only IPv6 range).
import { definePlugin } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  try { const value = await ctx.net.fetch('http://' + args[0] + ':' + args[1] + '/hello'); return 'allowed: ' + JSON.stringify(value); } catch (error) { return `${error.code}: ${error.message}`; }
} } });
