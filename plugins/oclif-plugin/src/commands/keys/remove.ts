import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Args } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class KeysRemove extends MarathonCommand {
  static override id = 'keys:remove';
  static override summary = 'Stop trusting a signing key.';
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'The key id (from marathon keys list).', required: true }) };

  async run() {
    const { args } = await this.parse(KeysRemove);
    const { marathonHome } = await import('@marathon/registry');
    const { loadTrustedKeys, TrustError } = await import('@marathon/security');
    const home = marathonHome();
    const { keys } = await loadTrustedKeys(home.keysDir);
    if (!/^[0-9a-f]{32}$/.test(args.id) || !keys.has(args.id)) throw new TrustError('KEY_INVALID', `no trusted key ${args.id}: see marathon keys list`);
    await rm(join(home.keysDir, `${args.id}.pem`), { force: true });
    this.say(`✅ Key ${args.id} is no longer trusted`);
    return { removed: args.id };
  }
}
