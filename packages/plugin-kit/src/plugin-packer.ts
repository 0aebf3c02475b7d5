// `marathon plugin pack`: a plugin folder as the .tgz `npm publish` takes — checked the way an
// install would check it (manifest, policy, code scan), package.json written from the manifest
// (name, version, the marathon-plugin keyword, the `marathon` field), and signed when a key is
// given. The author's folder is not touched: all of it happens in a copy. What is copied is chosen
// by pack-selection.ts: the default ignore list is left out, and secrets stop the pack.
import { createHash, type KeyObject } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readManifest } from '@marathon/manifest';
import { inspectPlugin, listPluginFiles, signPlugin, SIGNATURE_FILE, verifyPlugin, type SecurityPolicy } from '@marathon/security/trust';
import { pluginPackageJson, RegistryError } from '@marathon/registry';
import { selectPackFiles } from './pack-selection';

export interface PackOptions {
  /** Where the .tgz is written. */
  outputDir: string;
  policy: SecurityPolicy;
  trustedKeys: ReadonlyMap<string, KeyObject>;
  /** Sign with this ed25519 private key (PEM). */
  privateKeyPem?: string;
  /** Files or folders (relative to the plugin folder) to pack although ignored by default or looking like secrets. */
  include?: readonly string[];
}

export interface PackResult {
  file: string;
  name: string;
  version: string;
  /** sha512 of the .tgz, in SRI form (what the registry will publish as dist.integrity). */
  integrity: string;
  files: string[];
  signed: boolean;
  warnings: string[];
  /** Left out by the default ignore list (`node_modules/` for a folder). */
  ignored: string[];
}

// npm packs every file with this date, so that the same files give the same tarball.
const FIXED_MTIME = new Date('1985-10-26T08:15:00Z');

function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * A signature that no longer matches the author's own files — most often, the folder was rebuilt
 * after `plugin sign` — is refused here, with how to sign again, rather than packed into a package
 * every install would refuse. A difference pack itself makes (a file left out by the ignore list)
 * is not the author's: dropSignatureBrokenByPack deals with those.
 */
async function refuseStaleSignature(
  copy: string,
  source: string,
  ignored: readonly string[],
  trusted: ReadonlyMap<string, KeyObject>,
  plugin: { name: string; version: string },
): Promise<void> {
  const check = await verifyPlugin(copy, trusted, plugin);
  if (check.status !== 'modified') return;
  const leftOut = ignored.some((path) => check.file === path || (path.endsWith('/') && check.file?.startsWith(path) === true));
  if (leftOut) return;
  throw new RegistryError(
    'PACK_REFUSED',
    `${source}/${SIGNATURE_FILE} no longer matches the files (${check.message}): sign it again with marathon plugin ` +
      `sign ${source} --key <your key>, or pack it signed in one step: marathon plugin pack ${source} --key <your key>`,
  );
}

/**
 * Pack writes package.json from plugin.json and leaves out the default ignore list, so the packed
 * files can differ from the ones the author signed. Such a signature would make every install
 * refuse the package: it is left out, and the warning says how to publish it signed.
 */
async function dropSignatureBrokenByPack(
  copy: string,
  trusted: ReadonlyMap<string, KeyObject>,
  plugin: { name: string; version: string },
): Promise<string[]> {
  const check = await verifyPlugin(copy, trusted, plugin);
  if (check.status !== 'modified') return [];
  await rm(join(copy, SIGNATURE_FILE), { force: true });
  return [
    `${SIGNATURE_FILE} was left out: it does not cover the files as packed (${check.message}; ` +
      `pack writes package.json from plugin.json and leaves out the default ignore list), and an ` +
      `install would refuse the package for it; to publish it signed, pack with --key <your key>`,
  ];
}

export async function packPlugin(folder: string, options: PackOptions): Promise<PackResult> {
  const source = resolve(folder);
  const manifest = await readManifest(source);
  const work = await mkdtemp(join(tmpdir(), 'marathon-pack-'));
  try {
    const copy = join(work, 'package');
    const { files, problems, ignored, secrets, unmatched } = await selectPackFiles(source, options.include, options.policy.max_plugin_size);
    if (unmatched.length > 0) throw new RegistryError('PACK_REFUSED', `--include names what is not in ${source}: ${unmatched.join(', ')}`);
    if (problems.length > 0)
      throw new RegistryError(
        'PACK_REFUSED',
        `${source} cannot be packed:`,
        problems.map((problem) => `${problem.path}: ${problem.reason}`),
      );
    if (secrets.length > 0) {
      throw new RegistryError(
        'PACK_REFUSED',
        `${source} holds ${secrets.length === 1 ? 'a file that looks' : 'files that look'} like a ` +
          `secret, and a published package is public: move ${secrets.length === 1 ? 'it' : 'them'} out of ` +
          `the folder, or pack ${secrets.length === 1 ? 'it' : 'one'} on purpose with --include <path>`,
        secrets.map((secret) => `${secret.path}:${secret.line}: looks like ${secret.kind}`),
      );
    }
    for (const file of files) {
      // A new signature replaces an old one; without a key the folder's own is kept.
      if (file.path === SIGNATURE_FILE && options.privateKeyPem !== undefined) continue;
      await mkdir(dirname(join(copy, file.path)), { recursive: true });
      await copyFile(join(source, file.path), join(copy, file.path));
    }
    let existing: Record<string, unknown> = {};
    try {
      existing = JSON.parse(await readFile(join(source, 'package.json'), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new RegistryError('PACK_REFUSED', `${source}/package.json is not valid JSON`);
    }
    for (const field of ['name', 'version'] as const) {
      if (existing[field] !== undefined && existing[field] !== manifest[field]) {
        throw new RegistryError(
          'PACK_REFUSED',
          `package.json says ${field} ${String(existing[field])} but plugin.json says ${manifest[field]}; make them the same (or remove it from package.json)`,
        );
      }
    }
    // Without a key, the folder's own signature is packed — if it still holds once pack has written package.json.
    const keptSignature = options.privateKeyPem === undefined && files.some((file) => file.path === SIGNATURE_FILE);
    if (keptSignature) await refuseStaleSignature(copy, source, ignored, options.trustedKeys, manifest);
    await writeFile(join(copy, 'package.json'), `${JSON.stringify(pluginPackageJson(manifest, existing), null, 2)}\n`);
    if (options.privateKeyPem !== undefined) await signPlugin(copy, options.privateKeyPem, manifest);
    const dropped = keptSignature ? await dropSignatureBrokenByPack(copy, options.trustedKeys, manifest) : [];
    const inspection = await inspectPlugin(copy, {
      policy: options.policy,
      trustedKeys: options.trustedKeys,
      source: 'archive',
      force: false,
    });
    if (!inspection.decision.allowed)
      throw new RegistryError(
        'PACK_REFUSED',
        `${manifest.name} ${manifest.version} would be refused at install:`,
        inspection.decision.refusals,
      );
    const packed = (await listPluginFiles(copy)).files.map((file) => file.path).sort();
    await mkdir(options.outputDir, { recursive: true });
    const file = join(resolve(options.outputDir), tarballName(manifest.name, manifest.version));
    const tar = require('tar') as typeof import('tar');
    await tar.create({ gzip: true, cwd: copy, prefix: 'package/', portable: true, mtime: FIXED_MTIME, file }, packed);
    const integrity = `sha512-${createHash('sha512')
      .update(await readFile(file))
      .digest('base64')}`;
    return {
      file,
      name: manifest.name,
      version: manifest.version,
      integrity,
      files: packed,
      signed: options.privateKeyPem !== undefined,
      warnings: [...dropped, ...inspection.decision.warnings],
      ignored,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
