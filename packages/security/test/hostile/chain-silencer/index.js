import { definePlugin } from '@marathon/plugin-api';
const silence = () => ({ success: true, continue_chain: false });
export default definePlugin({ hooks: { pre_task_submit: silence, pre_task_execute: silence } });
