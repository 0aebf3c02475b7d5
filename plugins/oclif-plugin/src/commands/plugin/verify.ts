import { join } from 'node:path';
import { Args } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginVerify extends MarathonCommand {
  static override id = 'plugin:verify';
  static override summary = 'Check installed plugins: files unchanged since install, and signature status.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin verify', '<%= config.bin %> plugin verify hello-world'];
  static override args = { name: Args.string({ description: 'Only this plugin.' }) };

  async run() {
    const { args } = await this.parse(PluginVerify);
    const manager = await this.manager();
    const { checkIntegrity, loadTrustedKeys, verifyPlugin } = await import('@marathon/security/trust');
    const { repairHint } = await import('@marathon/manager');
    const { keys } = await loadTrustedKeys(manager.home.keysDir);
    const plugins = args.name === undefined ? await manager.list() : [(await manager.info(args.name)).record];
    const results = [];
    for (const plugin of plugins) {
      const folder = join(manager.home.installedDir, plugin.folder);
      const integrity = await checkIntegrity(folder, plugin.integrity, `plugin '${plugin.name}'`, repairHint(plugin.name));
      const signature = await verifyPlugin(folder, keys, plugin);
      this.say(
        `${integrity.ok ? '✅' : '❌'} ${plugin.name.padEnd(20)} ${integrity.ok ? 'files unchanged' : integrity.message}; signature ${signature.status}`,
      );
      results.push({
        name: plugin.name,
        integrity: integrity.ok ? 'ok' : 'modified',
        ...(integrity.ok ? {} : { file: integrity.change.path }),
        signature: signature.status,
        signature_message: signature.message,
      });
    }
    if (results.some((result) => result.integrity !== 'ok' || result.signature === 'invalid' || result.signature === 'modified'))
      process.exitCode = 1;
    return { plugins: results };
  }
}
