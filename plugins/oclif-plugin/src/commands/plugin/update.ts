import { Args, Flags } from '@oclif/core';
import { MarathonCommand, registryFlag } from '../../marathon-command';
import { gateWarningPrinter } from '../../gate-warnings';
import { terminalText } from '../../terminal-text';

interface UpdateOutcome {
  name: string;
  from: string;
  to: string | null;
  updated: boolean;
  reason: string;
  error?: { code: string; message: string };
}

export default class PluginUpdate extends MarathonCommand {
  static override id = 'plugin:update';
  static override summary = 'Update plugins: to the newest version that runs on this host and keeps their dependents working.';
  static override description = [
    "From npm: the newest published version compatible with this Marathon's plugin API and with the ranges of installed plugins that depend on it.",
    'From a folder, or the search-path folder it was installed from: the version found there, when newer. ' +
      'A new version that asks for more permissions needs your consent again (on a terminal, or --yes).',
    'An update never changes where a plugin comes from, nor lowers its signature status (valid → ' +
      'untrusted → unsigned), without its own consent: you are asked on a terminal; otherwise it is refused ' +
      'unless --allow-source-change or --allow-signature-downgrade is given (--yes does not cover it).',
  ].join(' ');
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin update',
    '<%= config.bin %> plugin update notifier',
    '<%= config.bin %> plugin update notifier ./notifier-2.0.0.tgz',
  ];
  static override args = {
    name: Args.string({ description: 'The plugin (default: every installed plugin).' }),
    source: Args.string({ description: 'Where the new version comes from, instead of where the installed one came from.' }),
  };
  static override flags = {
    yes: Flags.boolean({
      char: 'y',
      description: 'Accept added permissions without a prompt (not a change of source or a lower signature status).',
    }),
    'allow-source-change': Flags.boolean({
      description:
        'Accept a new version from another source than the installed one (another folder, search path, package or kind of source).',
    }),
    'allow-signature-downgrade': Flags.boolean({
      description: 'Accept a new version signed less well than the installed one (valid → untrusted or unsigned).',
    }),
    force: Flags.boolean({ description: 'Update despite high-severity code-scanner findings.' }),
    registry: registryFlag,
  };

  async run() {
    const { args, flags } = await this.parse(PluginUpdate);
    this.registry = flags.registry;
    const manager = await this.manager();
    const names = args.name === undefined ? (await manager.list()).map((plugin) => plugin.name) : [args.name];
    if (args.name !== undefined) await manager.info(args.name); // a did-you-mean before any network
    const options = {
      yes: flags.yes,
      force: flags.force,
      allowSourceChange: flags['allow-source-change'],
      allowSignatureDowngrade: flags['allow-signature-downgrade'],
      onWarnings: gateWarningPrinter(this.jsonEnabled()),
      ...this.consentPrompts({ permissions: 'Update it with these permissions?', trustChange: 'Update it anyway?' }),
    };
    const outcomes: UpdateOutcome[] = [];
    for (const name of names) {
      try {
        const available = args.source === undefined ? await manager.availableUpdate(name) : undefined;
        const current = available?.current ?? (await manager.info(name)).record.version;
        const request = args.source ?? available?.request;
        if (request === undefined) {
          outcomes.push({ name, from: current, to: null, updated: false, reason: available?.reason ?? 'up to date' });
          // The reason may quote the registry (a deprecation message its publisher wrote).
          const state =
            available?.reason === 'up to date' ? `up to date (${current})` : `at ${current}: ${terminalText(available?.reason ?? '')}`;
          this.say(`✅ Plugin '${name}' is ${state}`);
          // Up to date is not the same as working: a plugin in error says why, and that says what to run.
          const { record } = await manager.info(name);
          if (record.status === 'error') this.sayError(`⚠️  ${name} is in error: ${terminalText(record.error ?? 'unknown')}`);
          continue;
        }
        const record = await this.withProgress(`Updating ${name}`, () => manager.update(name, request, options));
        outcomes.push({ name, from: current, to: record.version, updated: true, reason: available?.reason ?? `from ${request}` });
        // The same version again (an explicit source, a rebuilt folder) is a replacement, not an update.
        this.say(
          record.version === current
            ? `✅ Plugin '${name}' ${current} replaced with the copy from ${terminalText(record.source.spec)} (same version)`
            : `✅ Plugin '${name}' updated ${current} → ${record.version}`,
        );
      } catch (error) {
        // With several plugins, one that fails does not stop the others; the exit code tells.
        if (names.length === 1) throw error;
        const { code = 'UPDATE_FAILED', message } = error as Error & { code?: string };
        outcomes.push({
          name,
          from: '',
          to: null,
          updated: false,
          reason: 'failed',
          error: { code, message: message.split('\n')[0] ?? message },
        });
        if (!this.jsonEnabled()) this.sayError(`❌ ${message}`);
        process.exitCode = 1;
      }
    }
    return { updates: outcomes };
  }
}
