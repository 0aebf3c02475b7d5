// What a downloaded registry tarball says it is: its package.json and plugin.json, read straight
// from the archive before it is unpacked — so that a package whose contents name another package
// or version is refused by the npm client itself, whoever unpacks it afterwards.
//
// Paths are read the way the unpacker reads them (safe-archive.ts: empty and '.' segments dropped)
// and the plugin's root is where install-source.ts will find it: npm packs everything under one
// top folder (`package/`), and a registry tarball that does not is refused here, so that both
// agree on which package.json and plugin.json are meant.
import { createReadStream } from 'node:fs';
import type { ReadEntry } from 'tar';
import { RegistryError } from './errors';

export interface TarballIdentity {
  /** package.json, parsed; undefined when the tarball has none. */
  packageJson: unknown;
  /** plugin.json, parsed; undefined when the tarball has none. */
  pluginJson: unknown;
}

/** Far above any real package.json or plugin.json; a larger one is not read into memory. */
const MAX_JSON_BYTES = 1024 * 1024;
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const WANTED = new Set(['package.json', 'plugin.json']);
/** Same limit as the unpacker: a gzip bomb is stopped, not read through. */
const MAX_DECOMPRESSION_RATIO = 200;

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '' && segment !== '.');
}

function parseJson(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RegistryError('NOT_A_PLUGIN', `${what}: its ${file} is not valid JSON; nothing was installed`);
  }
}

/** Reads package.json and plugin.json from `package/` of an npm tarball. `what` names it in messages. */
export async function readTarballIdentity(file: string, what: string): Promise<TarballIdentity> {
  const { Parser } = require('tar') as typeof import('tar');
  const tops = new Set<string>();
  const found = new Map<string, string>();
  const refusal = await new Promise<RegistryError | undefined>((resolvePromise) => {
    let settled = false;
    const input = createReadStream(file);
    const finish = (error?: RegistryError) => {
      if (settled) return;
      settled = true;
      if (error !== undefined) input.destroy();
      resolvePromise(error);
    };
    const parser = new Parser({
      strict: true,
      maxDecompressionRatio: MAX_DECOMPRESSION_RATIO,
      onwarn: (_code: string, message: string | Error) =>
        finish(
          new RegistryError(
            'DOWNLOAD_FAILED',
            `${what}: the tarball is not valid (${message instanceof Error ? message.message : message})`,
          ),
        ),
    } as ConstructorParameters<typeof Parser>[0]);
    parser.on('entry', (entry: ReadEntry) => {
      const parts = segments(entry.path);
      if (settled || parts.length === 0) return entry.resume();
      tops.add(parts[0]!);
      const name = parts.slice(1).join('/');
      if (parts.length !== 2 || !WANTED.has(name)) return entry.resume();
      if (!FILE_TYPES.has(entry.type) || found.has(name)) {
        entry.resume();
        return finish(
          new RegistryError(
            'NOT_A_PLUGIN',
            `${what}: its ${name} is ${found.has(name) ? 'in the tarball twice' : 'not a plain file'}; nothing was installed`,
          ),
        );
      }
      if (entry.size > MAX_JSON_BYTES) {
        entry.resume();
        return finish(
          new RegistryError('NOT_A_PLUGIN', `${what}: its ${name} is ${entry.size} bytes, over the ${MAX_JSON_BYTES} Marathon reads`),
        );
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => found.set(name, Buffer.concat(chunks).toString('utf8')));
      return undefined;
    });
    parser.on('error', (error: Error) =>
      finish(new RegistryError('DOWNLOAD_FAILED', `${what}: the tarball is not valid (${error.message})`)),
    );
    parser.on('end', () => finish());
    input.on('error', (error: Error) =>
      finish(new RegistryError('DOWNLOAD_FAILED', `${what}: cannot read the downloaded tarball (${error.message})`)),
    );
    input.pipe(parser as unknown as NodeJS.WritableStream);
  });
  if (refusal !== undefined) throw refusal;
  if (tops.size !== 1) {
    throw new RegistryError(
      'NOT_A_PLUGIN',
      `${what}: an npm package tarball holds one top folder (package/), this one ` +
        `${tops.size === 0 ? 'is empty' : `holds ${[...tops].slice(0, 5).join(', ')}`}; nothing was installed`,
    );
  }
  const text = (name: string) => found.get(name);
  const packageText = text('package.json');
  const pluginText = text('plugin.json');
  return {
    packageJson: packageText === undefined ? undefined : parseJson(packageText, 'package.json', what),
    pluginJson: pluginText === undefined ? undefined : parseJson(pluginText, 'plugin.json', what),
  };
}
