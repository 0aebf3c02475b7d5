import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ hooks: { post_task_execute: (ctx, event) => success(JSON.stringify(event)) } });
