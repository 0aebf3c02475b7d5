// Runs git — the only program its manifest allows — with fixed arguments: nothing the operator
// types reaches git's command line except a folder, which the host keeps inside the plugin's data
// folder. Without a shell, `; rm -rf ~` in an argument is just a strange folder name.
import { definePlugin, failure } from '@marathon/plugin-api';

export default definePlugin({
  commands: {
    version: async (ctx) => {
      const result = await ctx.exec('git', ['--version']);
      return result.exit_code === 0 ? result.stdout.trim() : failure(result.stderr.trim() || `git exited with ${result.exit_code}`);
    },
    status: async (ctx, args) => {
      const folder = args[0] ?? '.';
      const result = await ctx.exec('git', ['status', '--short', '--branch'], { cwd: folder, timeout_ms: 10_000 });
      if (result.exit_code !== 0)
        return failure(`git status in '${folder}' failed: ${result.stderr.trim() || `exit code ${result.exit_code}`}`);
      return result.stdout.trimEnd();
    },
  },
});
