// The trusted keys in MARATHON_HOME/keys, as `keys add` and `keys remove` change them. What is
// stored is never the file the operator gave: it is the ed25519 public key parsed out of it,
// re-exported as canonical PEM under its key id — so a private key, junk around a key, or a huge
// file can never end up in the folder that decides trust. Removal is by key id, whatever the file
// is called: every file that holds the key goes, since loadTrustedKeys trusts any of them.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyNoteFile, readKeyFiles, type KeyNote } from './key-list';
import { parsePublicKey, readKeyFile, type ParsedPublicKey } from './public-key';
import { TrustError } from './trust-error';

/**
 * Trusts the public key in `file`: writes its canonical PEM as `<key id>.pem` in `keysDir`, and
 * beside it a note of `name` (for `keys list`; never part of what decides trust) and the date.
 */
export async function addTrustedKey(keysDir: string, file: string, what = file, name?: string): Promise<ParsedPublicKey> {
  const parsed = parsePublicKey(await readKeyFile(file, what), what);
  await mkdir(keysDir, { recursive: true });
  // Written beside its final name and renamed, so a reader never sees half a key.
  const target = join(keysDir, `${parsed.keyId}.pem`);
  const temporary = join(keysDir, `.${parsed.keyId}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    await handle.writeFile(parsed.pem);
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const note: KeyNote = { ...(name === undefined || name === '' ? {} : { name }), added_at: new Date().toISOString() };
  await writeFile(join(keysDir, keyNoteFile(parsed.keyId)), `${JSON.stringify(note)}\n`, { mode: 0o644 });
  return parsed;
}

/**
 * Stops trusting a key id: removes every .pem file in `keysDir` that holds it (loadTrustedKeys
 * reads them all, so leaving one would leave the key trusted). Returns the files removed; throws
 * KEY_INVALID when none held it.
 */
export async function removeTrustedKey(keysDir: string, keyId: string): Promise<string[]> {
  if (!/^[0-9a-f]{32}$/.test(keyId))
    throw new TrustError('KEY_INVALID', `'${keyId}' is not a key id (32 hex digits): see marathon keys list`);
  const removed: string[] = [];
  // What cannot be parsed holds no key: loadTrustedKeys (the same readKeyFiles) does not trust it either.
  for (const entry of await readKeyFiles(keysDir)) {
    if (entry.parsed?.keyId !== keyId) continue;
    await rm(join(keysDir, entry.file), { force: true });
    removed.push(entry.file);
  }
  if (removed.length === 0) throw new TrustError('KEY_INVALID', `no trusted key ${keyId}: see marathon keys list`);
  await rm(join(keysDir, keyNoteFile(keyId)), { force: true });
  return removed;
}
