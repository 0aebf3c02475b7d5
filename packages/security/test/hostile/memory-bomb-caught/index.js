import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  let a = []; try { for (;;) a.push('x'.repeat(1000) + a.length); } catch (error) { a = null; return 'caught ' + error.message; }
} } });
