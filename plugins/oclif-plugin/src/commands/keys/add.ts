import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Args } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class KeysAdd extends MarathonCommand {
  static override id = 'keys:add';
  static override summary = 'Trust an author\'s public signing key (an ed25519 PEM).';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> keys add ./acme.pem'];
  static override args = { file: Args.file({ description: 'The public key (PEM).', required: true, exists: true }) };

  async run() {
    const { args } = await this.parse(KeysAdd);
    const { createPublicKey } = await import('node:crypto');
    const { keyIdOf, TrustError } = await import('@marathon/security');
    let keyId: string;
    try {
      const key = createPublicKey(await readFile(args.file, 'utf8'));
      if (key.asymmetricKeyType !== 'ed25519') throw new TrustError('KEY_INVALID', `${args.file} is a ${key.asymmetricKeyType} key; Marathon signatures use ed25519 (marathon keys generate makes one)`);
      keyId = keyIdOf(key);
    } catch (error) {
      if (error instanceof TrustError) throw error;
      throw new TrustError('KEY_INVALID', `${args.file} is not a PEM public key`);
    }
    const { marathonHome } = await import('@marathon/registry');
    const home = marathonHome();
    await mkdir(home.keysDir, { recursive: true });
    await copyFile(args.file, join(home.keysDir, `${keyId}.pem`));
    this.say(`✅ Trusted key ${keyId} added`);
    return { key_id: keyId };
  }
}
