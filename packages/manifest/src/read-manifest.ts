import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError } from './errors';
import type { Manifest } from './manifest';
import { MAX_MANIFEST_BYTES, parseManifestJson } from './parse-manifest-json';
import type { ParseManifestOptions } from './parse-manifest';

export const MANIFEST_FILE = 'plugin.json';

function fileError(
  code: 'MANIFEST_NOT_FOUND' | 'MANIFEST_UNREADABLE' | 'MANIFEST_TOO_LARGE',
  message: string,
  file: string,
  cause?: unknown,
) {
  return new ManifestError(code, [{ path: '(root)', message }], { file, cause });
}

/** Reads and validates `<dir>/plugin.json`. Throws ManifestError with a code for each way it can fail. */
export async function readManifest(dir: string, options: Omit<ParseManifestOptions, 'file'> = {}): Promise<Manifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      if (stat.size > MAX_MANIFEST_BYTES) {
        throw fileError(
          'MANIFEST_TOO_LARGE',
          `${file} is ${stat.size} bytes, larger than the ${MAX_MANIFEST_BYTES} a manifest may be`,
          file,
        );
      }
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (cause) {
    if (cause instanceof ManifestError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw fileError(
        'MANIFEST_NOT_FOUND',
        `no ${MANIFEST_FILE} in ${dir}: a plugin folder needs a ${MANIFEST_FILE} manifest at its top level`,
        file,
        cause,
      );
    }
    if (code === 'EISDIR') throw fileError('MANIFEST_UNREADABLE', `${file} is not a file`, file, cause);
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (cause as Error).message;
    throw fileError('MANIFEST_UNREADABLE', `cannot read ${file}: ${reason}`, file, cause);
  }
  return parseManifestJson(text, { ...options, file });
}
