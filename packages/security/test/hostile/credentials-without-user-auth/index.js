import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ hooks: { user_auth: (ctx, event) => success(JSON.stringify(event)) } });
