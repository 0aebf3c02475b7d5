// Issue 14, part 8: `keys add` copied whatever file it was given into MARATHON_HOME/keys — a
// private key (createPublicKey derives the public half from it, so it "worked"), junk around a
// key, a 300 MB file — and `keys remove` deleted only `<id>.pem`, leaving the key trusted through
// any other file that held it.
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTrustedKey, generateSigningKey, loadTrustedKeys, MAX_KEY_FILE_BYTES, removeTrustedKey, TrustError } from '@marathon/security';

let root: string;
let keys: string;
const author = generateSigningKey();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-keys-'));
  keys = join(root, 'keys');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function refusal(run: () => Promise<unknown>): Promise<TrustError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof TrustError) return error;
    throw error;
  }
  throw new Error('expected a TrustError');
}

function file(name: string, content: string): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

const stored = () => (readdirSync(root).includes('keys') ? readdirSync(keys) : []);

describe('addTrustedKey', () => {
  it('refuses a private key without echoing it, and stores nothing', async () => {
    const error = await refusal(() => addTrustedKey(keys, file('signing.key', author.privateKeyPem)));
    expect(error.code).toBe('PRIVATE_KEY_REFUSED');
    expect(error.message).toContain('holds a private key');
    expect(error.message).toContain('add the public key instead');
    const body = author.privateKeyPem.split('\n')[1]!;
    expect(error.message).not.toContain(body);
    expect(stored()).toEqual([]);
  });

  it('refuses an encrypted private key it cannot parse', async () => {
    const { privateKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect((await refusal(() => addTrustedKey(keys, file('enc.pem', privateKey)))).code).toBe('PRIVATE_KEY_REFUSED');
  });

  it('refuses a 300 MB file without reading it', async () => {
    const path = join(root, 'huge.pem');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 300 * 1024 * 1024); // sparse: costs no disk
    closeSync(fd);
    const error = await refusal(() => addTrustedKey(keys, path));
    expect(error).toMatchObject({ code: 'KEY_INVALID' });
    expect(error.message).toContain(`a public key file is at most ${MAX_KEY_FILE_BYTES} bytes`);
    expect(stored()).toEqual([]);
  });

  it('refuses an RSA public key and junk', async () => {
    const { publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect((await refusal(() => addTrustedKey(keys, file('rsa.pem', publicKey)))).message).toContain('is a rsa key');
    expect((await refusal(() => addTrustedKey(keys, file('junk.pem', 'hello')))).message).toContain('is not a PEM public key');
    expect(stored()).toEqual([]);
  });

  it('stores only the parsed public key, canonical, under its key id', async () => {
    const given = file('acme.pem', `comment: from acme\n${author.publicKeyPem}trailing junk\n`);
    const parsed = await addTrustedKey(keys, given);
    expect(parsed.keyId).toBe(author.keyId);
    // The key, and beside it the note `keys list` shows (never part of what decides trust).
    expect(stored().sort()).toEqual([`${author.keyId}.json`, `${author.keyId}.pem`]);
    expect(readFileSync(join(keys, `${author.keyId}.pem`), 'utf8')).toBe(author.publicKeyPem);
    expect(Object.keys(JSON.parse(readFileSync(join(keys, `${author.keyId}.json`), 'utf8')))).toEqual(['added_at']);
  });
});

describe('removeTrustedKey', () => {
  it('removes every file that holds the key id, whatever its name', async () => {
    await addTrustedKey(keys, file('acme.pem', author.publicKeyPem));
    writeFileSync(join(keys, 'copy-of-acme.pem'), author.publicKeyPem);
    const other = generateSigningKey();
    writeFileSync(join(keys, 'other.pem'), other.publicKeyPem);
    expect([...(await loadTrustedKeys(keys)).keys.keys()].sort()).toEqual([author.keyId, other.keyId].sort());
    expect(await removeTrustedKey(keys, author.keyId)).toEqual([`${author.keyId}.pem`, 'copy-of-acme.pem'].sort());
    expect([...(await loadTrustedKeys(keys)).keys.keys()]).toEqual([other.keyId]);
    expect((await refusal(() => removeTrustedKey(keys, author.keyId))).message).toBe(
      `no trusted key ${author.keyId}: see marathon keys list`,
    );
  });
});

describe('loadTrustedKeys', () => {
  it('does not trust a private key left in the folder by an older keys add, and says so', async () => {
    mkdirSync(keys);
    writeFileSync(join(keys, 'leaked.pem'), author.privateKeyPem);
    const { keys: trusted, problems } = await loadTrustedKeys(keys);
    expect(trusted.size).toBe(0);
    expect(problems).toEqual([expect.stringContaining('leaked.pem holds a private key')]);
  });
});
