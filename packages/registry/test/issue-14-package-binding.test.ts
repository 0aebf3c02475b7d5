// Issue 14 (6): the registry entry asked for, the tarball's package.json and its plugin.json must
// name the same package and version. (The CLI test issue-14-package-binding installs each case.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assertPackageBinding, checkPackageBinding } from '../src/plugin-package';
import { readTarballIdentity } from '../src/tarball-identity';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'issue14-binding-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const json = (name: string, version: string) => ({ name, version });

describe('assertPackageBinding', () => {
  test('passes when all three agree, scoped names included', () => {
    expect(() =>
      assertPackageBinding(json('@acme/notes', '1.2.0'), {
        packageJson: json('@acme/notes', '1.2.0'),
        pluginJson: json('@acme/notes', '1.2.0'),
      }),
    ).not.toThrow();
  });

  test.each([
    [
      'another version inside',
      json('liar', '2.0.0'),
      json('liar', '2.0.0'),
      'fetched from the registry as liar@1.0.0 but says it is liar@2.0.0',
      'package.json: liar@2.0.0, plugin.json: liar@2.0.0',
    ],
    [
      'another package inside',
      json('victim', '1.0.0'),
      json('victim', '1.0.0'),
      'but says it is victim@1.0.0',
      'package.json: victim@1.0.0, plugin.json: victim@1.0.0',
    ],
    [
      'another plugin than the package',
      json('liar', '1.0.0'),
      json('victim', '1.0.0'),
      "package.json is named 'liar' but plugin.json 'victim'",
      'package.json: liar@1.0.0, plugin.json: victim@1.0.0',
    ],
    ['no package.json', undefined, json('liar', '1.0.0'), 'it has no package.json', 'package.json: (none), plugin.json: liar@1.0.0'],
    ['a package.json that is no object', ['liar'], json('liar', '1.0.0'), 'its package.json is not an object', 'package.json: (none)'],
    [
      'a version that is no string',
      { name: 'liar', version: 1 },
      { name: 'liar', version: 1 },
      'but says it is liar@1',
      'package.json: liar@1, plugin.json: liar@1',
    ],
  ])('refuses %s, showing all three', (_what, packageJson, pluginJson, first, shown) => {
    expect(() => assertPackageBinding(json('liar', '1.0.0'), { packageJson, pluginJson })).toThrow(
      expect.objectContaining({
        code: 'NOT_A_PLUGIN',
        message: expect.stringMatching(new RegExp(`${escape(first)}.*registry: liar@1\\.0\\.0, ${escape(shown)}`)),
      }),
    );
  });

  test('no plugin.json: not a Marathon plugin', () => {
    expect(() => assertPackageBinding(json('liar', '1.0.0'), { packageJson: json('liar', '1.0.0'), pluginJson: undefined })).toThrow(
      'liar@1.0.0 is not a Marathon plugin: it has no plugin.json at its root',
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A gzipped tarball of `files` (paths as given), made with node-tar. */
function tarball(files: Record<string, string>): string {
  const work = join(root, 'work');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  }
  const file = join(root, 'package.tgz');
  const tar = require('tar') as typeof import('tar');
  tar.create({ gzip: true, cwd: work, sync: true, file, portable: true }, Object.keys(files));
  return file;
}

describe('readTarballIdentity', () => {
  test('reads package/package.json and package/plugin.json, whatever the top folder is called', async () => {
    const file = tarball({
      'package/package.json': JSON.stringify(json('a', '1.0.0')),
      'package/plugin.json': JSON.stringify(json('a', '1.0.0')),
      'package/lib/package.json': '{"name":"nested"}',
    });
    expect(await readTarballIdentity(file, 'a@1.0.0')).toEqual({ packageJson: json('a', '1.0.0'), pluginJson: json('a', '1.0.0') });
    rmSync(join(root, 'work'), { recursive: true });
    const other = tarball({
      'node/./package.json': JSON.stringify(json('b', '1.0.0')),
      'node/plugin.json': JSON.stringify(json('b', '1.0.0')),
    });
    expect(await readTarballIdentity(other, 'b@1.0.0')).toEqual({ packageJson: json('b', '1.0.0'), pluginJson: json('b', '1.0.0') });
  });

  test('a tarball whose files are not under one top folder is refused', async () => {
    const file = tarball({ 'package.json': JSON.stringify(json('a', '1.0.0')), 'plugin.json': JSON.stringify(json('a', '1.0.0')) });
    await expect(readTarballIdentity(file, 'a@1.0.0')).rejects.toMatchObject({
      code: 'NOT_A_PLUGIN',
      message: expect.stringContaining('holds one top folder'),
    });
  });

  test('a package.json that is not JSON is refused', async () => {
    const file = tarball({ 'package/package.json': '{ nope', 'package/plugin.json': JSON.stringify(json('a', '1.0.0')) });
    await expect(readTarballIdentity(file, 'a@1.0.0')).rejects.toMatchObject({
      code: 'NOT_A_PLUGIN',
      message: expect.stringContaining('package.json is not valid JSON'),
    });
  });

  test('something that is no tarball is refused', async () => {
    const file = join(root, 'junk.tgz');
    writeFileSync(file, 'not a tarball at all');
    await expect(readTarballIdentity(file, 'a@1.0.0')).rejects.toMatchObject({
      code: expect.stringMatching(/DOWNLOAD_FAILED|NOT_A_PLUGIN/),
    });
  });
});

describe('checkPackageBinding (for the folder an npm tarball was unpacked into)', () => {
  test('reads the folder and refuses a mismatch', async () => {
    writeFileSync(join(root, 'package.json'), JSON.stringify(json('victim', '1.0.0')));
    writeFileSync(join(root, 'plugin.json'), JSON.stringify(json('victim', '1.0.0')));
    await expect(checkPackageBinding(root, json('victim', '1.0.0'))).resolves.toBeUndefined();
    await expect(checkPackageBinding(root, json('squatter', '1.0.0'))).rejects.toMatchObject({
      code: 'NOT_A_PLUGIN',
      message: expect.stringContaining('registry: squatter@1.0.0, package.json: victim@1.0.0, plugin.json: victim@1.0.0'),
    });
  });
});
