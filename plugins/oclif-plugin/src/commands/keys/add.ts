import { basename, extname } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class KeysAdd extends MarathonCommand {
  static override id = 'keys:add';
  static override summary = "Trust an author's public signing key (an ed25519 PEM).";
  static override description =
    'The file is parsed, not copied: only the ed25519 public key in it is stored, as <key id>.pem in ' +
    'MARATHON_HOME/keys. A private key is refused (add the public .pem beside it), and so is anything over 64 KiB.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> keys add ./acme.pem', '<%= config.bin %> keys add ./release.pem --name "ACME releases"'];
  static override args = { file: Args.file({ description: 'The public key (PEM).', required: true, exists: true }) };
  static override flags = {
    name: Flags.string({ description: "What `keys list` calls the key (default: the file's name without .pem)." }),
  };

  async run() {
    const { args, flags } = await this.parse(KeysAdd);
    const { addTrustedKey } = await import('@marathon/security/trust');
    const { marathonHome, secureHome } = await import('@marathon/registry/home');
    // The first command of a new home may be this one: the home is made private (or refused) first.
    const home = marathonHome();
    await secureHome(home);
    const name = flags.name ?? basename(args.file, extname(args.file));
    const { keyId } = await addTrustedKey(home.keysDir, args.file, args.file, name);
    this.say(`✅ Trusted key ${keyId} added`);
    return { key_id: keyId, name };
  }
}
