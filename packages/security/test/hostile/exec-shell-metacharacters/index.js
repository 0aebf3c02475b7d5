import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  let refused;
  try { await ctx.exec('echo; id'); } catch (error) { refused = `${error.code}: ${error.message}`; }
  const run = await ctx.exec('echo', ['$(id)', '; cat /etc/passwd', '`whoami`']);
  return JSON.stringify({ refused, stdout: run.stdout });
} } });
