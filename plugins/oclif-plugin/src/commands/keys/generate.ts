import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class KeysGenerate extends MarathonCommand {
  static override id = 'keys:generate';
  static override summary = 'Make an ed25519 key pair for signing your plugins.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> keys generate --out ~/.marathon-author --name me'];
  static override flags = {
    out: Flags.directory({ description: 'Where to write the keys.', default: '.' }),
    name: Flags.string({ description: 'File name of the keys (<name>.key and <name>.pem).', default: 'signing' }),
  };

  async run() {
    const { flags } = await this.parse(KeysGenerate);
    const { generateSigningKey } = await import('@marathon/security/trust');
    const key = generateSigningKey();
    const folder = resolve(flags.out);
    await mkdir(folder, { recursive: true });
    const privateFile = join(folder, `${flags.name}.key`);
    const publicFile = join(folder, `${flags.name}.pem`);
    await writeFile(privateFile, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
    await writeFile(publicFile, key.publicKeyPem, { flag: 'wx' });
    this.say(`✅ Key ${key.keyId}: private ${privateFile} (keep it secret), public ${publicFile}`);
    this.say(`   Operators trust it with: marathon keys add ${publicFile}`);
    return { key_id: key.keyId, private_key: privateFile, public_key: publicFile };
  }
}
