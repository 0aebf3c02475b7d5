import { Args, Flags } from '@oclif/core';
import { gateWarningPrinter } from '../../gate-warnings';
import { MarathonCommand, registryFlag } from '../../marathon-command';

export default class PluginRepair extends MarathonCommand {
  static override id = 'plugin:repair';
  static override summary = "Put back a plugin's files as they were installed, from where it was installed from.";
  static override description = [
    'For a plugin whose installed files were changed (a load or `plugin verify` says "was modified after install").',
    'Its recorded source is fetched again — the same npm version, archive or URL (checked against the ' +
      'digest recorded at install), the folder, or the search-path folder it came from — checked like an ' +
      'install, and taken only when every file matches what was installed; then it replaces the changed copy.',
    'Its enabled state, permissions, priorities and data are kept; a plugin in error is enabled again. A plugin whose files are as installed is left alone.',
  ].join(' ');
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin repair hello-world'];
  static override args = { name: Args.string({ description: 'The plugin to repair.', required: true }) };
  static override flags = {
    'allow-signature-downgrade': Flags.boolean({
      description: 'Accept the fetched copy although its signature status is now lower than at install (a key no longer trusted).',
    }),
    registry: registryFlag,
  };

  async run() {
    const { args, flags } = await this.parse(PluginRepair);
    this.registry = flags.registry;
    const manager = await this.manager();
    await manager.info(args.name); // a did-you-mean before any fetch
    const result = await this.withProgress(`Repairing ${args.name}`, () =>
      manager.repair(args.name, {
        allowSignatureDowngrade: flags['allow-signature-downgrade'],
        onWarnings: gateWarningPrinter(this.jsonEnabled()),
        // The files are the ones installed (checked digest by digest), so their permissions were
        // granted already: consent comes up only if the trust around them changed.
        ...this.consentPrompts({ permissions: 'Repair it with these permissions?', trustChange: 'Repair it anyway?' }),
      }),
    );
    this.say(`✅ ${result.message.charAt(0).toUpperCase()}${result.message.slice(1)}${result.repaired ? ` (${result.status})` : ''}`);
    return result;
  }
}
