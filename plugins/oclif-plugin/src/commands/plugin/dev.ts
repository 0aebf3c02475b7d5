import { resolve } from 'node:path';
import { Args } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginDev extends MarathonCommand {
  static override id = 'plugin:dev';
  static override summary = 'Develop a plugin: install it from a folder, enable it, and reload it whenever a file changes.';
  static override examples = ['<%= config.bin %> plugin dev ./my-plugin'];
  static override args = { folder: Args.directory({ description: 'The plugin folder.', required: true, exists: true }) };

  async run() {
    const { args } = await this.parse(PluginDev);
    const folder = resolve(args.folder);
    const manager = await this.manager();
    const { readManifest } = await import('@marathon/manifest');
    const { name } = await readManifest(folder);
    const installed = (await manager.list()).some((plugin) => plugin.name === name);
    if (installed) await manager.update(name, folder, { yes: true });
    else await manager.install(folder, { yes: true });
    await manager.enable(name);
    this.say(`👀 Watching ${folder} — '${name}' reloads on every change (Ctrl-C to stop)`);
    await new Promise<void>((resolvePromise) => {
      const stop = manager.watch(name, folder, (error) => {
        if (error === undefined) this.say(`🔄 Reloaded '${name}'`);
        else this.sayError(`❌ ${error.message}`);
      });
      process.once('SIGINT', () => {
        stop();
        resolvePromise();
      });
    });
  }
}
