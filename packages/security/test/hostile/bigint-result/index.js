import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: (ctx, args) => {
  return { success: true, result_data: 10n };
} } });
