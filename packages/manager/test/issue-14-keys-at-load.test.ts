// Issue 14, part 8: a plugin signed by a removed key kept loading under require_signatures — its
// signature was checked only at install. Now every load verifies the installed copy against the
// keys trusted at that moment.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginManager } from '@marathon/manager';
import { generateSigningKey, removeTrustedKey, signPlugin } from '@marathon/security/trust';
import { managerError, open, tempRoot, writePlugin, type Sandbox } from './helpers';

let sandbox: Sandbox;
let manager: PluginManager;
const author = generateSigningKey();

beforeEach(async () => {
  sandbox = tempRoot();
  mkdirSync(join(sandbox.home, 'keys'), { recursive: true });
  writeFileSync(join(sandbox.home, 'keys', `${author.keyId}.pem`), author.publicKeyPem);
  // The same key under a second name: removal must not leave it trusted through this one.
  writeFileSync(join(sandbox.home, 'keys', 'acme.pem'), author.publicKeyPem);
  manager = await open(sandbox);
  const dir = writePlugin(sandbox.root, { name: 'signed', commands: ['hi'] }, 'signed');
  await signPlugin(dir, author.privateKeyPem, { name: 'signed', version: '1.0.0' });
  await manager.install(dir);
  await manager.enable('signed');
});
afterEach(async () => {
  await manager.close();
  sandbox.cleanup();
});

function requireSignatures(on: boolean): void {
  writeFileSync(join(sandbox.home, 'config.json'), JSON.stringify({ require_signatures: on }));
}

it('puts a plugin whose key was removed in the error state at its next load, saying why', async () => {
  requireSignatures(true);
  expect(await manager.run('signed', 'hi')).toBe('signed hi ');
  await manager.close();
  expect(await removeTrustedKey(join(sandbox.home, 'keys'), author.keyId)).toEqual([`${author.keyId}.pem`, 'acme.pem'].sort());
  manager = await open(sandbox);
  const refused = await managerError(() => manager.run('signed', 'hi'));
  expect(refused.code).toBe('TRUST_REFUSED');
  expect(refused.message).toContain(`its signing key ${author.keyId} is no longer trusted`);
  const { record } = await manager.info('signed');
  expect(record.status).toBe('error');
  expect(record.error).toContain('no longer trusted');
  // Enabling again does not get round it.
  expect((await managerError(() => manager.enable('signed'))).code).toBe('TRUST_REFUSED');
});

it('still loads it when the policy does not require signatures', async () => {
  requireSignatures(false);
  await removeTrustedKey(join(sandbox.home, 'keys'), author.keyId);
  expect(await manager.run('signed', 'hi')).toBe('signed hi ');
});
