import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ commands: {} });
