import { definePlugin, success, failure } from '@marathon/plugin-api';
// Each denied name is 4 MiB and comes back twice in the audit entry (target and reason).
export default definePlugin({ commands: { attack: (ctx, args) => {
  const name = 'x'.repeat(4 * 1024 * 1024);
  let denied = 0;
  for (let i = 0; i < 25; i++) {
    try { ctx.env.get(name); } catch (error) { if (error.code === 'EPERM' || error.code === 'EINVAL') denied++; }
  }
  return `denied ${denied}`;
} } });
