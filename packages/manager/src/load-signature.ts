// The signature check at every load. With require_signatures, an installed copy is verified
// against the keys trusted *now*: removing a key (marathon keys remove) stops the plugins it
// signed from loading, rather than leaving them trusted by what was true at install. Without
// require_signatures nothing is checked here (the install gate warned, and integrity still holds).
import type { InstalledPlugin, MarathonHome } from '@marathon/registry';
import { loadPolicy, loadTrustedKeys, signatureRefusal, verifyPlugin } from '@marathon/security/trust';
import { gateSource } from './gate-source';

/** Why `record` may not load under the current policy and keys, or undefined when it may. */
export async function signatureAtLoad(home: MarathonHome, record: InstalledPlugin, folder: string): Promise<string | undefined> {
  const policy = await loadPolicy(home.root);
  if (!policy.require_signatures) return undefined;
  const { keys } = await loadTrustedKeys(home.keysDir);
  const signature = await verifyPlugin(folder, keys, record);
  const refusal = signatureRefusal(signature, record.name, gateSource(record.source.kind), policy);
  if (refusal === undefined) return undefined;
  if (record.signature === 'valid' && signature.status === 'untrusted') {
    return (
      `plugin '${record.name}' was not loaded: its signing key ${signature.keyId ?? ''} is no longer trusted (not in ` +
      `${home.keysDir}) and the policy requires signatures; trust the key again with marathon keys add, or uninstall the plugin`
    );
  }
  return `plugin '${record.name}' was not loaded: ${refusal}`;
}
