import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  await null; for (;;) {}
} } });
