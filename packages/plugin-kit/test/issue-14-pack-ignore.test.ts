// Issue 14, part 10: `plugin pack` packed everything in the folder — .git, node_modules, .env, the
// author's private key, an .npmrc with a registry token — into a tarball meant to be public. Now a
// default ignore list is left out (and reported), a file whose content looks like a secret stops
// the pack, and --include is the only way in for either.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError } from '@marathon/registry';
import { packPlugin } from '@marathon/plugin-kit';
import { DEFAULT_POLICY } from '@marathon/security/trust';

let root: string;
let folder: string;
const options = () => ({ outputDir: join(root, 'out'), policy: { ...DEFAULT_POLICY }, trustedKeys: new Map() });
const privateKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function write(path: string, content: string): void {
  mkdirSync(join(folder, path, '..'), { recursive: true });
  writeFileSync(join(folder, path), content);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-pack-ignore-'));
  folder = join(root, 'notifier');
  write('plugin.json', JSON.stringify({ name: 'notifier', version: '1.0.0', api_version: '1.0.0' }));
  write('index.js', "import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({});\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function refused(run: () => Promise<unknown>): Promise<RegistryError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

it('leaves out VCS, dependencies and secret-named files, and says what it left out', async () => {
  write('.git/config', '[core]\n');
  write('node_modules/left-pad/index.js', 'module.exports = 1;');
  symlinkSync('../left-pad/index.js', join(folder, 'node_modules', 'left-pad', 'link.js')); // would refuse the pack if read
  write('.env', 'API_TOKEN=s3cret\n');
  write('.npmrc', '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n');
  write('signing.pem', privateKey);
  write('lib/.DS_Store', 'x');
  write('lib/util.js', 'export const x = 1;');
  const result = await packPlugin(folder, options());
  expect(result.files).toEqual(['index.js', 'lib/util.js', 'package.json', 'plugin.json']);
  expect(result.ignored).toEqual(['.env', '.git/', '.npmrc', 'lib/.DS_Store', 'node_modules/', 'signing.pem']);
});

it('refuses a file whose content looks like a secret, naming it and never the secret', async () => {
  write('config.json', JSON.stringify({ key: privateKey }));
  write('lib/settings.txt', 'registry\n//npm.acme.internal/:_authToken=abc123\n');
  const error = await refused(() => packPlugin(folder, options()));
  expect(error.code).toBe('PACK_REFUSED');
  expect(error.message).toContain('like a secret, and a published package is public');
  expect(error.details).toEqual(['config.json:1: looks like a private key', 'lib/settings.txt:2: looks like npm registry credentials']);
  expect(error.message).not.toContain('abc123');
  expect(error.message).not.toContain(privateKey.split('\n')[1]!);
});

it('packs a file on purpose with --include, and refuses an --include that names nothing', async () => {
  write('fixtures/test-key.json', JSON.stringify({ key: privateKey }));
  write('.marathon/plugins/x/plugin.json', '{}');
  const result = await packPlugin(folder, { ...options(), include: ['./fixtures/test-key.json'] });
  expect(result.files).toContain('fixtures/test-key.json');
  expect(result.ignored).toEqual(['.marathon/']);
  const error = await refused(() => packPlugin(folder, { ...options(), include: ['fixtures/nope.json'] }));
  expect(error.message).toContain('--include names what is not in');
});
