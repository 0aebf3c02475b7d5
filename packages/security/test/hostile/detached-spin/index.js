import { definePlugin } from '@marathon/plugin-api';
export default definePlugin({
  commands: {
    attack: () => {
      Promise.resolve().then(() => { for (;;) new Array(2e5).fill(0).join(); });
      return 'returned';
    },
  },
});
