import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';
import { terminalText } from '../../terminal-text';

export default class PluginPack extends MarathonCommand {
  static override id = 'plugin:pack';
  static override summary =
    'Pack a plugin folder into a .tgz ready for npm publish: checked as an install would check it, signed when given a key.';
  static override description = [
    'package.json is written from plugin.json (name, version, the marathon-plugin keyword, the plugin API and permissions); the folder itself is not changed.',
    'Left out by default, at any depth, and listed: .git/ .hg/ .svn/ node_modules/ .marathon/ ' +
      '.idea/ .vscode/ .nyc_output/, .DS_Store Thumbs.db *.log *.tgz *.swp, .gitignore .gitattributes ' +
      '.gitmodules .npmignore .editorconfig, and secrets by name: .npmrc .yarnrc .yarnrc.yml .netrc ' +
      '.git-credentials .env .env.* *.pem *.key *.p12 *.pfx *.jks id_rsa id_dsa id_ecdsa id_ed25519.',
    'A file whose content looks like a secret (a private key, npm credentials, an npm, ' +
      'GitHub, AWS or Slack token) stops the pack. --include packs a file or folder anyway.',
  ].join(' ');
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin pack ./dist',
    '<%= config.bin %> plugin pack ./dist --key ~/.marathon-author/me.key --output ./out',
    'npm publish ./out/my-plugin-1.0.0.tgz',
  ];
  static override args = {
    folder: Args.directory({ description: 'The plugin folder (plugin.json and built code).', required: true, exists: true }),
  };
  static override flags = {
    key: Flags.file({ description: 'Sign with this ed25519 private key (from marathon keys generate).', exists: true }),
    output: Flags.directory({ description: 'Where to write the .tgz.', default: '.' }),
    include: Flags.string({
      description:
        'Pack this file or folder (relative to the plugin folder) although it is ignored by default or looks like a secret; repeatable.',
      multiple: true,
    }),
  };

  async run() {
    const { args, flags } = await this.parse(PluginPack);
    const { marathonHome } = await import('@marathon/registry');
    const { packPlugin } = await import('@marathon/plugin-kit');
    const { loadPolicy, loadTrustedKeys } = await import('@marathon/security/trust');
    const home = marathonHome();
    const result = await packPlugin(args.folder, {
      outputDir: flags.output,
      policy: await loadPolicy(home.root),
      trustedKeys: (await loadTrustedKeys(home.keysDir)).keys,
      ...(flags.key === undefined ? {} : { privateKeyPem: await readFile(flags.key, 'utf8') }),
      ...(flags.include === undefined ? {} : { include: flags.include }),
    });
    if (result.ignored.length > 0)
      this.say(`Left out (default ignore list): ${result.ignored.map((path) => terminalText(path)).join(', ')}`);
    for (const warning of result.warnings) if (!this.jsonEnabled()) this.sayError(`⚠️  ${terminalText(warning)}`);
    this.say(`✅ Packed '${result.name}' ${result.version}${result.signed ? ' (signed)' : ''}: ${result.file}`);
    this.say(`   ${result.files.length} files, ${result.integrity}`);
    this.say(`   Publish it with: npm publish ${result.file}`);
    return result;
  }
}
