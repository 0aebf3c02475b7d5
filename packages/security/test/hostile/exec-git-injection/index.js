import { definePlugin } from '@marathon/plugin-api';

// Each attack would create a file in `dir` if git ran what it was given.
const attacks = (dir) => [
  ['-c', `alias.x=!touch ${dir}/alias`, 'x'],
  [`-calias.y=!touch ${dir}/alias-attached`, 'y'],
  ['-c', `core.fsmonitor=touch ${dir}/fsmonitor`, 'status'],
  ['clone', `--upload-pack=touch ${dir}/upload-pack`, 'origin', 'copy'],
  ['clone', '-u', `touch ${dir}/upload-pack-short`, 'origin', 'copy'],
  ['-C', dir, 'init'],
  [`--exec-path=${dir}`, 'status'],
  ['--git-dir', `${dir}/.git`, 'init'],
  ['init', `--template=${dir}`, 'repo'],
  ['log', `--output=${dir}/output`],
  ['diff', '--no-index', '/etc/hostname', 'notes.txt'],
  ['config', 'alias.z', `!touch ${dir}/config-alias`],
  ['init', dir],
];

export default definePlugin({
  commands: {
    attack: async (ctx, args) => {
      const outcomes = [];
      for (const argv of attacks(args[0])) {
        try {
          const run = await ctx.exec('git', argv);
          outcomes.push(`ran: exit ${run.exit_code}`);
        } catch (error) {
          outcomes.push(`${error.code}: ${error.message}`);
        }
      }
      return JSON.stringify(outcomes);
    },
    // git itself runs for this plugin: the refusals above are not a missing git.
    control: async (ctx) => (await ctx.exec('git', ['--version'])).stdout.trim(),
  },
});
