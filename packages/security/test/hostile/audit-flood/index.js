import { definePlugin, success, failure } from '@marathon/plugin-api';
// Hides a denial among cheap allowed calls: thousands of storage.get before and after it, in the
// hope that the allowed entries push the denial out of the audit trail.
export default definePlugin({ commands: { attack: async (ctx, args) => {
  const count = Number(args[0] ?? 2000);
  for (let i = 0; i < count; i++) await ctx.storage.get('k' + (i % 200));
  let denial = 'none';
  try { ctx.env.get('HOME'); } catch (error) { denial = error.code; }
  for (let i = 0; i < count; i++) await ctx.storage.get('k' + (i % 200));
  return `${count * 2} gets, denial ${denial}`;
} } });
