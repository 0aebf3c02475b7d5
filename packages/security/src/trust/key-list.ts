// What MARATHON_HOME/keys holds, file by file, as the trust checks read it (loadTrustedKeys) and as
// `keys list` shows it: each .pem parsed the way `keys add` parses (bounded, ed25519 public keys
// only), and what `keys add` noted beside it — the name it was added under and when.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprintOf, parsePublicKey, readKeyFile, type ParsedPublicKey } from './public-key';
import { TrustError } from './trust-error';

/** One .pem file of the keys folder: its key, or why it is not trusted. */
export type KeyFile =
  { file: string; parsed: ParsedPublicKey; problem?: undefined } | { file: string; parsed?: undefined; problem: string };

/** Reads every .pem file of a keys folder (none when the folder does not exist). */
export async function readKeyFiles(dir: string): Promise<KeyFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.pem')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new TrustError('UNREADABLE', `cannot read the trusted keys in ${dir}: ${(error as Error).message}`);
  }
  const files: KeyFile[] = [];
  for (const name of names) {
    // A private key left here by an older `keys add` is reported, not trusted, so that its owner
    // moves it out of the home.
    try {
      files.push({ file: name, parsed: parsePublicKey(await readKeyFile(join(dir, name), name), name) });
    } catch (error) {
      files.push({ file: name, problem: error instanceof TrustError ? error.message : `${name} is not a PEM public key` });
    }
  }
  return files;
}

/** What `keys add` notes beside a key: the name it was added under and when. */
export interface KeyNote {
  name?: string;
  added_at: string;
}

export const keyNoteFile = (keyId: string): string => `${keyId}.json`;

async function readNote(dir: string, keyId: string, pemFile: string): Promise<KeyNote> {
  try {
    const note = JSON.parse(await readFile(join(dir, keyNoteFile(keyId)), 'utf8')) as Partial<KeyNote>;
    if (typeof note.added_at === 'string')
      return { ...(typeof note.name === 'string' ? { name: note.name } : {}), added_at: note.added_at };
  } catch {
    // No note (a key copied in by hand, or added by an older version): the file's date says when.
  }
  return { added_at: (await stat(join(dir, pemFile))).mtime.toISOString() };
}

export interface TrustedKeyEntry {
  /** The key id: the first 32 hex digits of the fingerprint. */
  id: string;
  /** The name given at `keys add` (default: the added file's name), if any. */
  name?: string;
  /** SHA-256 of the public key (SPKI DER), in hex: what to compare with the author's. */
  fingerprint: string;
  /** ISO 8601 (UTC): when it was added. */
  added_at: string;
  /** The files of the keys folder that hold it. */
  files: string[];
}

export interface KeyListing {
  /** Every trusted key, once each, by id. */
  trusted: TrustedKeyEntry[];
  /** Files of the keys folder that are not trusted, and why. */
  untrusted: Array<{ file: string; reason: string }>;
}

/** The keys folder as `keys list` shows it. */
export async function listTrustedKeys(dir: string): Promise<KeyListing> {
  const byId = new Map<string, TrustedKeyEntry>();
  const untrusted: KeyListing['untrusted'] = [];
  for (const entry of await readKeyFiles(dir)) {
    if (entry.parsed === undefined) {
      untrusted.push({ file: entry.file, reason: entry.problem });
      continue;
    }
    const known = byId.get(entry.parsed.keyId);
    if (known !== undefined) {
      known.files.push(entry.file);
      continue;
    }
    const fingerprint = fingerprintOf(entry.parsed.key);
    byId.set(entry.parsed.keyId, {
      id: entry.parsed.keyId,
      ...(await readNote(dir, entry.parsed.keyId, entry.file)),
      fingerprint,
      files: [entry.file],
    });
  }
  return { trusted: [...byId.values()], untrusted };
}
