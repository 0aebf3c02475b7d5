import { definePlugin } from '@marathon/plugin-api';
export default definePlugin({ commands: { attack: () => { for (;;) {} } } });
