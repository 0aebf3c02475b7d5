// What Marathon accepts as a trusted key: an ed25519 public key, parsed (never a file taken as
// given), identified by its key id. Reads are bounded, and a private key is refused as such.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import { TrustError } from './trust-error';

/** SHA-256 of the public key (SPKI DER), in hex: what `keys list` shows, to compare with the author's. */
export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** The key id: the first 16 bytes of the fingerprint, in hex. */
export function keyIdOf(publicKey: KeyObject): string {
  return fingerprintOf(publicKey).slice(0, 32);
}

/** A public key PEM is ~113 bytes; 64 KiB leaves room for comments without reading a 300 MB file. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

export interface ParsedPublicKey {
  keyId: string;
  /** SPKI PEM, as Node writes it: the only form stored in MARATHON_HOME/keys. */
  pem: string;
  key: KeyObject;
}

/**
 * Reads at most MAX_KEY_FILE_BYTES of a regular file. Opening first and asking the descriptor
 * what it is means a FIFO or a device is refused rather than read (or waited on) forever.
 */
export async function readKeyFile(file: string, what = file): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new TrustError('KEY_INVALID', `${what} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new TrustError('KEY_INVALID', `${what} is not a regular file; give the public key's .pem file`);
    if (info.size > MAX_KEY_FILE_BYTES)
      throw new TrustError('KEY_INVALID', `${what} is ${info.size} bytes; a public key file is at most ${MAX_KEY_FILE_BYTES} bytes`);
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // The file may have grown since stat: what is read is still capped.
    if (bytesRead > MAX_KEY_FILE_BYTES)
      throw new TrustError('KEY_INVALID', `${what} is over ${MAX_KEY_FILE_BYTES} bytes; a public key file is not that large`);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function looksPrivate(text: string): boolean {
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) return true;
  try {
    createPrivateKey(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses the text of a key file into an ed25519 public key. A private key is refused as such —
 * the message names the file only, never its content — because createPublicKey would happily
 * derive the public half and the private one would have been stored beside it.
 */
export function parsePublicKey(text: string, what: string): ParsedPublicKey {
  if (looksPrivate(text)) {
    throw new TrustError(
      'PRIVATE_KEY_REFUSED',
      `${what} holds a private key, which must stay with its author: add the public key instead (marathon keys generate wrote it as the .pem beside the .key)`,
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw new TrustError('KEY_INVALID', `${what} is not a PEM public key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TrustError(
      'KEY_INVALID',
      `${what} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; Marathon signatures use ed25519 (marathon keys generate makes one)`,
    );
  }
  return { keyId: keyIdOf(key), pem: key.export({ type: 'spki', format: 'pem' }).toString(), key };
}
