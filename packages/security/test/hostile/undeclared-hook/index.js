import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ hooks: { user_auth: () => success() }, commands: { attack: () => 'x' } });
