import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  return JSON.stringify({ setTimeout: typeof setTimeout, setInterval: typeof setInterval, setImmediate: typeof setImmediate, queueMicrotask: typeof queueMicrotask, fetch: typeof fetch, WebAssembly: typeof WebAssembly });
} } });
