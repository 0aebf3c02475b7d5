import { definePlugin } from '@marathon/plugin-api';

export default definePlugin({
  commands: {
    attack: async (ctx, args) => {
      const dir = args[0];
      const outcomes = [];
      // Off the pins; a pinned prefix followed by an injection; then the pin itself, which runs.
      for (const argv of [['status'], ['-c', `alias.log=!touch ${dir}/pinned`, 'log'], ['log', `--output=${dir}/pinned-output`], ['--version']]) {
        try {
          const run = await ctx.exec('git', argv);
          outcomes.push(`ran: exit ${run.exit_code}: ${run.stdout.trim()}`);
        } catch (error) {
          outcomes.push(`${error.code}: ${error.message}`);
        }
      }
      return JSON.stringify(outcomes);
    },
  },
});
