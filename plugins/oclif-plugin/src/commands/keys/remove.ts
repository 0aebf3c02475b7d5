import { Args } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';

export default class KeysRemove extends MarathonCommand {
  static override id = 'keys:remove';
  static override summary = 'Stop trusting a signing key.';
  static override description =
    'Every file in MARATHON_HOME/keys that holds the key is removed, whatever its name. When ' +
    'the policy requires signatures, plugins it signed stop loading (they go to the error state).';
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'The key id (from marathon keys list).', required: true }) };

  async run() {
    const { args } = await this.parse(KeysRemove);
    const { marathonHome, secureHome } = await import('@marathon/registry/home');
    const { removeTrustedKey } = await import('@marathon/security/trust');
    // Files are removed only from a home no other user could have written in.
    const home = marathonHome();
    await secureHome(home);
    const files = await removeTrustedKey(home.keysDir, args.id);
    this.say(
      `✅ Key ${args.id} is no longer trusted${files.length > 1 ? ` (removed ${files.length} files that held it: ${files.join(', ')})` : ''}`,
    );
    return { removed: args.id, files };
  }
}
