import { definePlugin } from '@marathon/plugin-api';

// Each attack would create a file in `dir` if env started the program it names.
const attacks = (dir) => [
  ['touch', `${dir}/env`],
  ['FOO=1', 'touch', `${dir}/env-assignment`],
  ['-i', 'touch', `${dir}/env-ignore`],
  ['-S', `touch ${dir}/env-split`],
  [`--split-string=touch ${dir}/env-split-long`],
  ['/usr/bin/touch', `${dir}/env-absolute`],
];

export default definePlugin({
  commands: {
    attack: async (ctx, args) => {
      const outcomes = [];
      for (const argv of attacks(args[0])) {
        try {
          const run = await ctx.exec('env', argv);
          outcomes.push(`ran: exit ${run.exit_code}`);
        } catch (error) {
          outcomes.push(`${error.code}: ${error.message}`);
        }
      }
      return JSON.stringify(outcomes);
    },
    // env itself runs for this plugin (and prints its minimal environment).
    control: async (ctx) => (await ctx.exec('env', [])).stdout,
  },
});
