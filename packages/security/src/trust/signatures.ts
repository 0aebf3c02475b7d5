// Plugin signatures with ed25519 (node:crypto, no network). SIGNATURE.json holds the plugin's name
// and version, the SHA-256 of every file (sorted relative paths; the signature file excluded), the
// signer's public key and key id, and an ed25519 signature over the canonical JSON of all that.
// Trust is by key id: the public keys in MARATHON_HOME/keys/ are the trusted ones.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from './canonical-json';
import { digestPluginFiles, firstDifference, type FileDigests } from './plugin-files';
import { readKeyFiles } from './key-list';
import { keyIdOf } from './public-key';
import { TrustError } from './trust-error';

export { keyIdOf } from './public-key';

export const SIGNATURE_FILE = 'SIGNATURE.json';
export const SIGNATURE_FORMAT = 'marathon-signature-v1';

export type SignatureStatus = 'valid' | 'invalid' | 'modified' | 'unsigned' | 'untrusted';

export interface SignatureCheck {
  status: SignatureStatus;
  /** Why, in a sentence an operator can act on. */
  message: string;
  keyId?: string;
  /** The file that differs, for `modified`. */
  file?: string;
}

interface SignedContent {
  format: string;
  plugin: { name: string; version: string };
  files: FileDigests;
  key_id: string;
  public_key: string;
}

export interface SignatureDocument extends SignedContent {
  signature: string;
}

export interface SigningKey {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

function publicKeyDer(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** A new ed25519 key pair for a plugin author, as PEM, with its key id. */
export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

function requireEd25519(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TrustError(
      'KEY_INVALID',
      `${what} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; Marathon signatures use ed25519 (generate one with generateSigningKey)`,
    );
  }
}

/** Signs a plugin folder with an ed25519 private key (PEM), writing SIGNATURE.json into it. */
export async function signPlugin(
  dir: string,
  privateKeyPem: string,
  plugin: { name: string; version: string },
): Promise<SignatureDocument> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    throw new TrustError('KEY_INVALID', 'the signing key is not a PEM private key');
  }
  requireEd25519(privateKey, 'the signing key');
  const publicKey = createPublicKey(privateKey);
  const { digests, problems } = await digestPluginFiles(dir, [SIGNATURE_FILE]);
  if (problems.length > 0) throw new TrustError('UNREADABLE', `cannot sign ${dir}: ${problems[0]!.path} ${problems[0]!.reason}`);
  const content: SignedContent = {
    format: SIGNATURE_FORMAT,
    plugin: { name: plugin.name, version: plugin.version },
    files: digests,
    key_id: keyIdOf(publicKey),
    public_key: publicKeyDer(publicKey).toString('base64'),
  };
  const signature = edSign(null, Buffer.from(canonicalJson(content)), privateKey).toString('base64');
  const document: SignatureDocument = { ...content, signature };
  await writeFile(join(dir, SIGNATURE_FILE), `${JSON.stringify(document, null, 2)}\n`);
  return document;
}

/** Trusted public keys, by key id, from the .pem files of a folder (MARATHON_HOME/keys). */
export async function loadTrustedKeys(dir: string): Promise<{ keys: Map<string, KeyObject>; problems: string[] }> {
  const keys = new Map<string, KeyObject>();
  const problems: string[] = [];
  for (const entry of await readKeyFiles(dir)) {
    if (entry.parsed === undefined) problems.push(entry.problem);
    else keys.set(entry.parsed.keyId, entry.parsed.key);
  }
  return { keys, problems };
}

function isSignatureDocument(value: unknown): value is SignatureDocument {
  const doc = value as Partial<SignatureDocument> | null;
  return (
    typeof doc === 'object' &&
    doc !== null &&
    doc.format === SIGNATURE_FORMAT &&
    typeof doc.plugin?.name === 'string' &&
    typeof doc.plugin.version === 'string' &&
    typeof doc.files === 'object' &&
    doc.files !== null &&
    Object.values(doc.files).every((digest) => typeof digest === 'string' && /^[0-9a-f]{64}$/.test(digest)) &&
    typeof doc.key_id === 'string' &&
    typeof doc.public_key === 'string' &&
    typeof doc.signature === 'string'
  );
}

/**
 * Checks a plugin folder's signature. Statuses, most serious first: invalid (the signature does not
 * verify, or SIGNATURE.json is corrupt or for another plugin), modified (a file was added, removed
 * or changed since signing — never loads), untrusted (valid, by a key not in `trusted`), valid,
 * unsigned (no SIGNATURE.json).
 */
export async function verifyPlugin(
  dir: string,
  trusted: ReadonlyMap<string, KeyObject>,
  plugin?: { name: string; version: string },
): Promise<SignatureCheck> {
  let text: string;
  try {
    text = await readFile(join(dir, SIGNATURE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { status: 'unsigned', message: 'the plugin is not signed (no SIGNATURE.json)' };
    return { status: 'invalid', message: `SIGNATURE.json cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { status: 'invalid', message: 'SIGNATURE.json is not valid JSON' };
  }
  if (!isSignatureDocument(document)) return { status: 'invalid', message: `SIGNATURE.json is not a ${SIGNATURE_FORMAT} signature` };
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(document.public_key, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return { status: 'invalid', message: 'SIGNATURE.json holds a public key that cannot be read' };
  }
  if (publicKey.asymmetricKeyType !== 'ed25519')
    return { status: 'invalid', message: `SIGNATURE.json was made with a ${publicKey.asymmetricKeyType} key, not ed25519` };
  const keyId = keyIdOf(publicKey);
  if (keyId !== document.key_id) return { status: 'invalid', message: "SIGNATURE.json names a key id that is not its public key's", keyId };
  const { signature, ...content } = document;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64 || !edVerify(null, Buffer.from(canonicalJson(content)), publicKey, bytes)) {
    return { status: 'invalid', message: 'the signature does not verify: SIGNATURE.json was altered or corrupted', keyId };
  }
  if (plugin !== undefined && (document.plugin.name !== plugin.name || document.plugin.version !== plugin.version)) {
    return {
      status: 'invalid',
      message: `the signature is for ${document.plugin.name}@${document.plugin.version}, not ${plugin.name}@${plugin.version}`,
      keyId,
    };
  }
  const { digests, problems } = await digestPluginFiles(dir, [SIGNATURE_FILE]);
  if (problems.length > 0)
    return { status: 'modified', message: `${problems[0]!.path} ${problems[0]!.reason}`, keyId, file: problems[0]!.path };
  const change = firstDifference(document.files, digests);
  if (change !== undefined) {
    const what = { added: 'was added', removed: 'was removed', changed: 'was changed' }[change.change];
    return { status: 'modified', message: `${change.path} ${what} after signing`, keyId, file: change.path };
  }
  if (!trusted.has(keyId))
    return { status: 'untrusted', message: `signed by key ${keyId}, which is not among the trusted keys (MARATHON_HOME/keys)`, keyId };
  return { status: 'valid', message: `signed by trusted key ${keyId}`, keyId };
}
