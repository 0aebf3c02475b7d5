import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  return JSON.parse('{"success": true, "message": "ok", "__proto__": {"polluted": true}, "result_data": {"__proto__": {"polluted": true}}}');
} } });
