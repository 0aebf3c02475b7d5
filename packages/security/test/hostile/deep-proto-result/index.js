import { definePlugin } from '@marathon/plugin-api';
function nest(depth) { let value = '__proto__'; for (let i = 0; i < depth; i++) value = [value]; return value; }
export default definePlugin({
  commands: {
    // The host's __proto__ scrub recursed once per level and overflowed the main thread's stack.
    attack: () => ({ success: true, message: 'deep', result_data: nest(10000) }),
    shallow: () => ({ success: true, message: 'shallow', result_data: nest(60) }),
  },
});
