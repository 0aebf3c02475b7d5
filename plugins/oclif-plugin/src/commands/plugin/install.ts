import { Args, Flags } from '@oclif/core';
import { MarathonCommand, registryFlag } from '../../marathon-command';
import { gateWarningPrinter } from '../../gate-warnings';

export default class PluginInstall extends MarathonCommand {
  static override id = 'plugin:install';
  static override summary = 'Install a plugin: by name from the search paths, or from a folder, a .tgz, an https URL or an npm spec.';
  static override description =
    'The plugin is checked first (manifest, policy, code scan, signature) and installed disabled. ' +
    'Permissions beyond reading tasks need your consent: you are asked on a terminal, or pass --yes.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin install hello-world',
    '<%= config.bin %> plugin install ./my-plugin --yes --enable',
    '<%= config.bin %> plugin install https://example.com/notifier-1.2.0.tgz --integrity sha512-…',
    '<%= config.bin %> plugin install @acme/marathon-plugin-x@^2 --registry https://npm.acme.internal/',
  ];
  static override args = {
    source: Args.string({ description: 'A plugin name, a folder, a .tgz file, an https URL or an npm spec.', required: true }),
  };
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: "Accept the plugin's permissions without a prompt." }),
    force: Flags.boolean({
      description: 'Install despite high-severity code-scanner findings (size, file and signature rules still apply).',
    }),
    enable: Flags.boolean({ description: 'Enable the plugin once installed.' }),
    integrity: Flags.string({ description: 'Expected sha512 digest (SRI form) of a downloaded or local archive.' }),
    'with-dependencies': Flags.boolean({
      description:
        'Install missing dependencies from the same kind of source first; each is checked ' +
        'and needs consent like a direct install, and what it was granted is shown.',
    }),
    registry: registryFlag,
  };

  async run() {
    const { args, flags } = await this.parse(PluginInstall);
    this.registry = flags.registry;
    const manager = await this.manager();
    const result = await this.withProgress(`Installing ${args.source}`, () =>
      manager.install(args.source, {
        yes: flags.yes,
        force: flags.force,
        withDependencies: flags['with-dependencies'],
        ...(flags.integrity === undefined ? {} : { integrity: flags.integrity }),
        // Before any consent prompt, naming the plugin (a dependency's come before its own prompt).
        onWarnings: gateWarningPrinter(this.jsonEnabled()),
        ...this.consentPrompts({ permissions: 'Install it with these permissions?' }),
      }),
    );
    // A dependency is code the operator did not name: say what each one got and who signed it.
    for (const dependency of result.dependency_details) {
      const permissions = dependency.permissions.length === 0 ? 'no permissions' : `permissions ${dependency.permissions.join(', ')}`;
      this.say(
        `✅ Plugin '${dependency.name}' ${dependency.version} installed successfully (needed ` +
          `by '${dependency.needed_by}'): signature ${dependency.signature}, ${permissions}`,
      );
    }
    this.say(`✅ Plugin '${result.name}' installed successfully`);
    let enabled: string[] = [];
    if (flags.enable) {
      enabled = await manager.enable(result.name);
      for (const name of enabled) this.say(`✅ Plugin '${name}' enabled successfully`);
    }
    return { ...result, enabled };
  }
}
