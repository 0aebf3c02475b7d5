import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  const results = await Promise.allSettled(Array.from({ length: 12 }, () => ctx.net.fetch(args[0] + '/slow')));
  return JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? 'ok' : r.reason.code)));
} } });
