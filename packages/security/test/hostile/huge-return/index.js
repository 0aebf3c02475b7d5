import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  return 'x'.repeat(3 * 1024 * 1024);
} } });
