import { MarathonCommand } from '../../marathon-command';

export default class KeysList extends MarathonCommand {
  static override id = 'keys:list';
  static override summary = 'List the trusted signing keys.';
  static override enableJsonFlag = true;

  async run() {
    await this.parse(KeysList);
    const { marathonHome } = await import('@marathon/registry');
    const { loadTrustedKeys } = await import('@marathon/security');
    const { keys, problems } = await loadTrustedKeys(marathonHome().keysDir);
    if (keys.size === 0) this.say('No trusted keys. Add one with: marathon keys add <public-key.pem>');
    for (const id of keys.keys()) this.say(id);
    for (const problem of problems) process.stderr.write(`⚠️  ${problem}\n`);
    return { keys: [...keys.keys()], problems };
  }
}
