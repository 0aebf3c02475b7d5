import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  const end = Date.now() + 120; while (Date.now() < end) {} return 'burned';
} } });
