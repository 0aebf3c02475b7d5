import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class PluginSign extends MarathonCommand {
  static override id = 'plugin:sign';
  static override summary = 'Sign a plugin folder with your ed25519 key (writes SIGNATURE.json).';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin sign ./my-plugin --key ~/.marathon-author/me.key'];
  static override args = { folder: Args.directory({ description: 'The plugin folder.', required: true, exists: true }) };
  static override flags = {
    key: Flags.file({ description: 'Your private key (PEM), from marathon keys generate.', required: true, exists: true }),
  };

  async run() {
    const { args, flags } = await this.parse(PluginSign);
    const { readManifest } = await import('@marathon/manifest');
    const { signPlugin } = await import('@marathon/security/trust');
    const manifest = await readManifest(args.folder);
    const document = await signPlugin(args.folder, await readFile(flags.key, 'utf8'), manifest);
    this.say(`✅ Signed '${manifest.name}' ${manifest.version} (${Object.keys(document.files).length} files) with key ${document.key_id}`);
    return { name: manifest.name, version: manifest.version, key_id: document.key_id, files: Object.keys(document.files) };
  }
}
