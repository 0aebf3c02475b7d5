import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  const a = []; for (;;) a.push('x'.repeat(1000) + a.length);
} } });
