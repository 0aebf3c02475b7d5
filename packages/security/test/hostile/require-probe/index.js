import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  return JSON.stringify({ require: typeof require, module: typeof module, process: typeof process, Buffer: typeof Buffer });
} } });
