import { generateKeyPairSync, type KeyObject, createPublicKey } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, keyIdOf, loadTrustedKeys, signPlugin, SIGNATURE_FILE, TrustError, verifyPlugin } from '@marathon/security';

const hello = join(__dirname, '..', 'fixtures', 'plugins', 'hello');
const plugin = { name: 'hello', version: '1.0.0' };
const author = generateSigningKey();
let root: string;
let dir: string;
let trusted: Map<string, KeyObject>;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'marathon-sign-'));
  dir = join(root, 'hello');
  cpSync(hello, dir, { recursive: true });
  await signPlugin(dir, author.privateKeyPem, plugin);
  trusted = new Map([[author.keyId, createPublicKey(author.publicKeyPem)]]);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function document(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, SIGNATURE_FILE), 'utf8')) as Record<string, unknown>;
}

describe('a signed plugin', () => {
  it('is valid with its key trusted', async () => {
    expect(await verifyPlugin(dir, trusted, plugin)).toEqual({
      status: 'valid',
      message: `signed by trusted key ${author.keyId}`,
      keyId: author.keyId,
    });
  });

  it('lists every file by sorted relative path, without the signature itself', () => {
    const files = document().files as Record<string, string>;
    expect(Object.keys(files)).toEqual(['index.js', 'lib/greeting.js', 'plugin.json']);
    expect(Object.values(files).every((digest) => /^[0-9a-f]{64}$/.test(digest))).toBe(true);
  });

  it('is untrusted when its key is not among the trusted ones', async () => {
    expect(await verifyPlugin(dir, new Map(), plugin)).toMatchObject({ status: 'untrusted', keyId: author.keyId });
  });
});

describe('mutated in place', () => {
  it('a file added → modified, naming it', async () => {
    writeFileSync(join(dir, 'extra.js'), 'export const x = 1;');
    expect(await verifyPlugin(dir, trusted, plugin)).toMatchObject({
      status: 'modified',
      file: 'extra.js',
      message: 'extra.js was added after signing',
    });
  });

  it('a file removed → modified', async () => {
    unlinkSync(join(dir, 'lib', 'greeting.js'));
    expect(await verifyPlugin(dir, trusted, plugin)).toMatchObject({
      status: 'modified',
      file: 'lib/greeting.js',
      message: 'lib/greeting.js was removed after signing',
    });
  });

  it('a file changed → modified, even with an unknown key', async () => {
    appendFileSync(join(dir, 'index.js'), '\n// one more line\n');
    expect(await verifyPlugin(dir, new Map(), plugin)).toMatchObject({ status: 'modified', file: 'index.js' });
  });

  it('a symlink slipped in → modified', async () => {
    symlinkSync('/etc/passwd', join(dir, 'passwd.js'));
    expect(await verifyPlugin(dir, trusted, plugin)).toMatchObject({
      status: 'modified',
      file: 'passwd.js',
      message: 'passwd.js is a symbolic link',
    });
  });

  it('a file name that is not UTF-8 → modified', async () => {
    writeFileSync(Buffer.from([...Buffer.from(`${dir}/`), 0xff, 0xfe, 0x2e, 0x6a, 0x73]), 'x');
    expect(await verifyPlugin(dir, trusted, plugin)).toMatchObject({
      status: 'modified',
      message: expect.stringContaining('its name is not valid UTF-8'),
    });
  });

  it('re-signed with another key → untrusted', async () => {
    await signPlugin(dir, generateSigningKey().privateKeyPem, plugin);
    expect((await verifyPlugin(dir, trusted, plugin)).status).toBe('untrusted');
  });

  it('a corrupted signature → invalid', async () => {
    const doc = document();
    const signature = Buffer.from(doc.signature as string, 'base64');
    signature[0] = signature[0]! ^ 0xff;
    writeFileSync(join(dir, SIGNATURE_FILE), JSON.stringify({ ...doc, signature: signature.toString('base64') }));
    expect(await verifyPlugin(dir, trusted, plugin)).toMatchObject({
      status: 'invalid',
      message: 'the signature does not verify: SIGNATURE.json was altered or corrupted',
    });
  });

  it('a truncated signature → invalid', async () => {
    writeFileSync(join(dir, SIGNATURE_FILE), JSON.stringify({ ...document(), signature: 'AAAA' }));
    expect((await verifyPlugin(dir, trusted, plugin)).status).toBe('invalid');
  });

  it('a digest list edited to match a changed file → invalid (the signature covers it)', async () => {
    writeFileSync(join(dir, 'index.js'), 'export default {};');
    const doc = document();
    (doc.files as Record<string, string>)['index.js'] = '0'.repeat(64);
    writeFileSync(join(dir, SIGNATURE_FILE), JSON.stringify(doc));
    expect((await verifyPlugin(dir, trusted, plugin)).status).toBe('invalid');
  });

  it('a swapped public key → invalid (the key id no longer matches)', async () => {
    const other = generateSigningKey();
    const der = createPublicKey(other.publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
    writeFileSync(join(dir, SIGNATURE_FILE), JSON.stringify({ ...document(), public_key: der }));
    expect(await verifyPlugin(dir, trusted, plugin)).toMatchObject({
      status: 'invalid',
      message: "SIGNATURE.json names a key id that is not its public key's",
    });
  });

  it('a signature for another version → invalid', async () => {
    expect(await verifyPlugin(dir, trusted, { name: 'hello', version: '2.0.0' })).toMatchObject({
      status: 'invalid',
      message: 'the signature is for hello@1.0.0, not hello@2.0.0',
    });
  });
});

describe('bad signature files', () => {
  it('none → unsigned', async () => {
    unlinkSync(join(dir, SIGNATURE_FILE));
    expect(await verifyPlugin(dir, trusted, plugin)).toEqual({
      status: 'unsigned',
      message: 'the plugin is not signed (no SIGNATURE.json)',
    });
  });

  it.each([
    ['not JSON', '{ nope', 'SIGNATURE.json is not valid JSON'],
    ['JSON of the wrong shape', '{"format":"other"}', 'SIGNATURE.json is not a marathon-signature-v1 signature'],
    ['an empty object', '{}', 'SIGNATURE.json is not a marathon-signature-v1 signature'],
  ])('%s → invalid', async (_label, text, message) => {
    writeFileSync(join(dir, SIGNATURE_FILE), text);
    expect(await verifyPlugin(dir, trusted, plugin)).toEqual({ status: 'invalid', message });
  });

  it('a folder where SIGNATURE.json should be → invalid', async () => {
    unlinkSync(join(dir, SIGNATURE_FILE));
    mkdirSync(join(dir, SIGNATURE_FILE));
    expect(await verifyPlugin(dir, trusted, plugin)).toEqual({ status: 'invalid', message: 'SIGNATURE.json cannot be read (EISDIR)' });
  });
});

describe('keys', () => {
  it('refuses to sign with a key that is not ed25519', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(signPlugin(dir, rsa, plugin)).rejects.toMatchObject({
      code: 'KEY_INVALID',
      message: expect.stringContaining('is a rsa key; Marathon signatures use ed25519'),
    });
    await expect(signPlugin(dir, 'not a key', plugin)).rejects.toBeInstanceOf(TrustError);
  });

  it('loads trusted keys from a folder, reporting the ones it cannot use', async () => {
    const keys = join(root, 'keys');
    mkdirSync(keys);
    writeFileSync(join(keys, 'author.pem'), author.publicKeyPem);
    writeFileSync(
      join(keys, 'rsa.pem'),
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    writeFileSync(join(keys, 'garbage.pem'), 'nope');
    writeFileSync(join(keys, 'README.txt'), 'not a key file');
    const loaded = await loadTrustedKeys(keys);
    expect([...loaded.keys.keys()]).toEqual([author.keyId]);
    expect(loaded.problems).toEqual([
      'garbage.pem is not a PEM public key',
      'rsa.pem is a rsa key; Marathon signatures use ed25519 (marathon keys generate makes one)',
    ]);
    expect((await loadTrustedKeys(join(root, 'missing'))).keys.size).toBe(0);
  });

  it('gives every key a stable id', () => {
    expect(keyIdOf(createPublicKey(author.publicKeyPem))).toBe(author.keyId);
    expect(author.keyId).toMatch(/^[0-9a-f]{32}$/);
  });
});
