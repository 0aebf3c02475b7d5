import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  const run = await ctx.exec('sleep', ['10'], { timeout_ms: 200 }); return JSON.stringify({ timed_out: run.timed_out, signal: run.signal });
} } });
