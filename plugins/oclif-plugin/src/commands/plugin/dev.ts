import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginDev extends MarathonCommand {
  static override id = 'plugin:dev';
  static override summary = 'Develop a plugin: install it from a folder, enable it, and reload it whenever a file changes.';
  static override description =
    'Permissions need consent as for plugin install: on the first install, and again whenever a change to the folder ' +
    'asks for more than was granted (you are asked on a terminal; otherwise the change is refused unless --yes).';
  static override examples = ['<%= config.bin %> plugin dev ./my-plugin'];
  static override args = { folder: Args.directory({ description: 'The plugin folder.', required: true, exists: true }) };
  static override flags = {
    yes: Flags.boolean({
      char: 'y',
      description: 'Accept the permissions the folder asks for, now and after every change, without a prompt.',
    }),
  };

  async run() {
    const { args, flags } = await this.parse(PluginDev);
    const folder = resolve(args.folder);
    const manager = await this.manager();
    const { readManifest } = await import('@marathon/manifest');
    const { name } = await readManifest(folder);
    // The folder's author is not necessarily the operator, and a change can ask for more: the same
    // consent as an install, asked again whenever the permissions grow.
    const options = {
      yes: flags.yes,
      ...this.consentPrompts({ permissions: 'Run it with these permissions?', trustChange: 'Replace it with this folder?' }),
    };
    const installed = (await manager.list()).some((plugin) => plugin.name === name);
    if (installed) await manager.update(name, folder, options);
    else await manager.install(folder, options);
    await manager.enable(name);
    this.say(`👀 Watching ${folder} — '${name}' reloads on every change (Ctrl-C to stop)`);
    await new Promise<void>((resolvePromise) => {
      const stop = manager.watch(
        name,
        folder,
        (error) => {
          if (error === undefined) this.say(`🔄 Reloaded '${name}'`);
          else this.sayError(`❌ ${error.message}`);
        },
        options,
      );
      process.once('SIGINT', () => {
        stop();
        resolvePromise();
      });
    });
  }
}
