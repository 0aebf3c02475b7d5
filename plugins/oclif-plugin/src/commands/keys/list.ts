import { MarathonCommand } from '../../marathon-command';
import { terminalText } from '../../terminal-text';

export default class KeysList extends MarathonCommand {
  static override id = 'keys:list';
  static override summary =
    'List the trusted signing keys: id, name, when added, fingerprint; and files in the keys folder that are not trusted.';
  static override description =
    "Compare a key's fingerprint (SHA-256 of the public key) with the one its author " +
    'publishes. Every key listed as trusted vouches for the plugins it signed; a file listed ' +
    'as not trusted (a private key, something that is not a key) vouches for nothing.';
  static override enableJsonFlag = true;

  async run() {
    await this.parse(KeysList);
    const { marathonHome } = await import('@marathon/registry/home');
    const { listTrustedKeys } = await import('@marathon/security/trust');
    const { trusted, untrusted } = await listTrustedKeys(marathonHome().keysDir);
    if (trusted.length === 0) this.say('No trusted keys. Add one with: marathon keys add <public-key.pem>');
    for (const key of trusted) {
      this.say(`✅ ${key.id}  ${terminalText(key.name ?? '(no name)')}  added ${key.added_at}`);
      this.say(`   trusted · fingerprint sha256:${key.fingerprint}${key.files.length > 1 ? ` · in ${key.files.join(', ')}` : ''}`);
    }
    for (const file of untrusted) process.stderr.write(`⚠️  not trusted: ${terminalText(file.reason)}\n`);
    return {
      keys: [
        ...trusted.map((key) => ({ ...key, trusted: true })),
        ...untrusted.map((file) => ({ file: file.file, trusted: false, reason: file.reason })),
      ],
      problems: untrusted.map((file) => file.reason),
    };
  }
}
