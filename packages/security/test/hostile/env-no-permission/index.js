import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  try { return 'allowed: ' + ctx.env.get('HOME'); } catch (error) { return `${error.code}: ${error.message}`; }
} } });
