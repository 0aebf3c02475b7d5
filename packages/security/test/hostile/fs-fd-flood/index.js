import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  await ctx.fs.write('a.txt', 'x');
  const results = await Promise.allSettled(Array.from({ length: 40 }, () => ctx.fs.read('a.txt')));
  return JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? 'ok' : r.reason.code)));
} } });
