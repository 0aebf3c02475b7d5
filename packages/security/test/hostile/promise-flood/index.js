import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: async (ctx, args) => {
  let p = Promise.resolve(0); for (let i = 0; i < 1e7; i++) p = p.then((v) => v + 1); return String(await p);
} } });
