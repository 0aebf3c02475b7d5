import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  for (let i = 0; i < 5000; i++) ctx.log.info('spam ' + i); return 'done';
} } });
