// Issue 15 (7) through the binary: signing in place fights the build. A SIGNATURE.json left stale by
// the next build made install refuse with no hint to sign again; `plugin pack` without --key on a
// signed folder failed on the package.json pack itself wrote.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
let key: { key_id: string; private_key: string; public_key: string };
let dist: string;
beforeEach(async () => {
  ws = workspace();
  key = JSON.parse((await ws.prepare(['keys', 'generate', '--out', join(ws.root, 'author'), '--name', 'me', '--json'])).stdout);
  dist = writePluginFolder(ws.plugins, { name: 'signed-build', commands: [{ name: 'hi' }], body: `{ commands: { hi: () => 'hi' } }` });
  await ws.prepare(['plugin', 'sign', dist, '--key', key.private_key]);
});
afterEach(() => ws.cleanup());

/** What the scaffold's next `npm run build` does to dist/: new code, the old SIGNATURE.json left in place. */
const rebuild = () => appendFileSync(join(dist, 'index.js'), '\n// rebuilt\n');

test('a build after signing: install says the signature no longer matches and how to sign again', async () => {
  rebuild();
  const refused = await ws.run(['plugin', 'install', dist, '--json']);
  expect(refused.code).toBe(1);
  const { error } = JSON.parse(refused.stdout) as { error: { code: string; details: string[] } };
  expect(error.code).toBe('TRUST_REFUSED');
  expect(error.details[0]).toBe(
    'the signature no longer matches these files (index.js was changed after signing): if you built or changed ' +
      'it since signing, sign it again with marathon plugin sign <folder> --key <your key> (or pack it signed: ' +
      'marathon plugin pack <folder> --key <your key>); otherwise get a copy from its author that is signed as it is',
  );
  // Doing what it says works.
  await ws.ok(['plugin', 'sign', dist, '--key', key.private_key]);
  await ws.ok(['keys', 'add', key.public_key]);
  expect((await ws.ok(['plugin', 'install', dist, '--enable'])).stdout).toContain("✅ Plugin 'signed-build' installed successfully");
  expect((await ws.ok(['plugin', 'info', 'signed-build'])).stdout).toContain('Signature:    valid');
});

test('pack without --key on a stale signature refuses with how to sign again', async () => {
  rebuild();
  const refused = await ws.run(['plugin', 'pack', dist, '--output', join(ws.root, 'out')]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    `${dist}/SIGNATURE.json no longer matches the files (index.js was changed after ` +
      `signing): sign it again with marathon plugin sign ${dist} --key <your key>, ` +
      `or pack it signed in one step: marathon plugin pack ${dist} --key <your key>`,
  );
  expect(existsSync(join(ws.root, 'out'))).toBe(false);
});

test('pack without --key on a freshly signed folder packs, leaving out the signature its package.json breaks, and says so', async () => {
  const packed = await ws.ok(['plugin', 'pack', dist, '--output', join(ws.root, 'out'), '--json']);
  const result = JSON.parse(packed.stdout) as { file: string; files: string[]; signed: boolean; warnings: string[] };
  expect(result.signed).toBe(false);
  expect(result.files).toEqual(['index.js', 'package.json', 'plugin.json']);
  expect(result.warnings[0]).toBe(
    'SIGNATURE.json was left out: it does not cover the files as packed (package.json was added after ' +
      'signing; pack writes package.json from plugin.json and leaves out the default ignore list), ' +
      'and an install would refuse the package for it; to publish it signed, pack with --key <your key>',
  );
  const text = await ws.ok(['plugin', 'pack', dist, '--output', join(ws.root, 'out2')]);
  expect(text.stderr).toContain('⚠️  SIGNATURE.json was left out');
  // What was packed installs (unsigned, as the warning said).
  await ws.ok(['plugin', 'install', result.file, '--enable']);
  expect((await ws.ok(['signed-build', 'hi'])).stdout).toBe('hi\n');

  // With --key, the package is signed as packed and installs as valid.
  await ws.prepare(['plugin', 'uninstall', 'signed-build']);
  await ws.prepare(['keys', 'add', key.public_key]);
  const signed = JSON.parse(
    (await ws.ok(['plugin', 'pack', dist, '--key', key.private_key, '--output', join(ws.root, 'out3'), '--json'])).stdout,
  ) as { file: string; signed: boolean; warnings: string[] };
  expect(signed).toMatchObject({ signed: true, warnings: [] });
  const install = await ws.ok(['plugin', 'install', signed.file]);
  expect(install.stderr).not.toContain('not signed');
  expect(readdirSync(join(ws.root, 'out3'))).toEqual(['signed-build-1.0.0.tgz']);
});

test('a signed folder whose package.json pack keeps as it is keeps its signature', async () => {
  // The folder already holds the package.json pack writes (a folder packed and unpacked before, say).
  const first = JSON.parse(
    (await ws.ok(['plugin', 'pack', dist, '--key', key.private_key, '--output', join(ws.root, 'out'), '--json'])).stdout,
  ) as { file: string };
  const unpacked = join(ws.root, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', first.file, '-C', unpacked]);
  const again = JSON.parse(
    (await ws.ok(['plugin', 'pack', join(unpacked, 'package'), '--output', join(ws.root, 'out2'), '--json'])).stdout,
  ) as { signed: boolean; warnings: string[]; files: string[] };
  expect(again.files).toContain('SIGNATURE.json');
  expect(again.warnings.filter((warning) => warning.includes('SIGNATURE.json'))).toEqual([]);
});
