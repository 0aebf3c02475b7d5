import { resolve } from 'node:path';
import { Args } from '@oclif/core';
import type { SyncStep } from '@marathon/manager';
import { MarathonCommand, registryFlag } from '../../marathon-command';

const SHOWN: Record<SyncStep['action'], (step: SyncStep) => string> = {
  install: (step) => `➕ installed ${step.name} ${step.to}`,
  upgrade: (step) => `⬆️  upgraded ${step.name} ${step.from} → ${step.to}`,
  downgrade: (step) => `⬇️  downgraded ${step.name} ${step.from} → ${step.to}`,
  reinstall: (step) => `🔁 reinstalled ${step.name} ${step.to} (its files differed)`,
  remove: (step) => `➖ removed ${step.name} ${step.from}`,
  enable: (step) => `✅ enabled ${step.name}`,
  disable: (step) => `⚪ disabled ${step.name}`,
  configure: (step) => `⚙️  set the settings of ${step.name}`,
};

export default class PluginSync extends MarathonCommand {
  static override id = 'plugin:sync';
  static override summary =
    'Make this host run exactly the plugins of a lockfile: install, upgrade, downgrade, enable, disable, remove, and their settings.';
  static override description = [
    'Every plugin is checked against the lockfile (version, content integrity, permissions: the lockfile is the consent).',
    'A second run changes nothing. If anything fails, the host is put back as it was.',
  ].join(' ');
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin sync marathon-plugins.lock.json',
    '<%= config.bin %> plugin sync fleet.lock.json --registry https://npm.acme.internal/',
  ];
  static override args = { lockfile: Args.string({ description: 'The lockfile (from marathon plugin export).', required: true }) };
  static override flags = { registry: registryFlag };

  async run() {
    const { args, flags } = await this.parse(PluginSync);
    this.registry = flags.registry;
    const { readLockfile } = await import('@marathon/manager');
    const file = resolve(args.lockfile);
    const lock = await readLockfile(file);
    const manager = await this.manager();
    const steps = await this.withProgress(`Syncing with ${args.lockfile}`, () => manager.sync(lock));
    for (const step of steps) this.say(SHOWN[step.action](step));
    this.say(
      steps.length === 0
        ? `✅ Already in sync with ${args.lockfile}: nothing changed`
        : `✅ This host matches ${args.lockfile} (${steps.length} change${steps.length === 1 ? '' : 's'})`,
    );
    return { lockfile: file, changed: steps.length > 0, steps };
  }
}
