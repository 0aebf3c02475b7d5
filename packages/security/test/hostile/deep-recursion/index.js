import { definePlugin, success, failure } from '@marathon/plugin-api';
function f(n) { return f(n + 1) + 1; }
export default definePlugin({ commands: { attack: () => String(f(0)) } });
