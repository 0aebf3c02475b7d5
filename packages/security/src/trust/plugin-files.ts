// The files of a plugin folder as the trust checks see them: regular files only, by relative
// POSIX path in sorted order. Anything else — a symlink, a device, a socket, a name that is not
// valid UTF-8, a file that cannot be read — is reported, never followed or skipped silently.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface PluginFile {
  /** Relative POSIX path, e.g. lib/util.js. */
  path: string;
  size: number;
}

export interface FileProblem {
  path: string;
  reason: string;
}

export interface PluginFiles {
  files: PluginFile[];
  problems: FileProblem[];
  totalBytes: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Lists a folder's files recursively. Never throws for what is in the folder. */
export async function listPluginFiles(root: string): Promise<PluginFiles> {
  const files: PluginFile[] = [];
  const problems: FileProblem[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    let entries: Buffer[];
    try {
      entries = await readdir(dir, { encoding: 'buffer' });
    } catch (error) {
      problems.push({ path: prefix || '.', reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    for (const raw of entries) {
      let name: string;
      try {
        name = decoder.decode(raw);
      } catch {
        problems.push({ path: `${prefix}${raw.toString('latin1')}`, reason: 'its name is not valid UTF-8' });
        continue;
      }
      const path = `${prefix}${name}`;
      const full = join(dir, name);
      let info;
      try {
        info = await lstat(full);
      } catch (error) {
        problems.push({ path, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      if (info.isDirectory()) await walk(full, `${path}/`);
      else if (info.isFile()) files.push({ path, size: info.size });
      else problems.push({ path, reason: info.isSymbolicLink() ? 'is a symbolic link' : 'is not a regular file' });
    }
  }
  await walk(root, '');
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems, totalBytes: files.reduce((sum, file) => sum + file.size, 0) };
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export type FileDigests = Record<string, string>;

/**
 * SHA-256 of every regular file, by sorted relative path; `exclude` names files left out (the
 * signature itself). Files that cannot be read are reported as problems.
 */
export async function digestPluginFiles(
  root: string,
  exclude: readonly string[] = [],
): Promise<{ digests: FileDigests; problems: FileProblem[] }> {
  const { files, problems } = await listPluginFiles(root);
  const digests: FileDigests = {};
  for (const file of files) {
    if (exclude.includes(file.path)) continue;
    try {
      digests[file.path] = await sha256File(join(root, file.path));
    } catch (error) {
      problems.push({ path: file.path, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  return { digests, problems };
}

export type DigestChange = { path: string; change: 'added' | 'removed' | 'changed' };

/** The first difference between two digest lists, in path order; undefined when they are equal. */
export function firstDifference(expected: FileDigests, actual: FileDigests): DigestChange | undefined {
  const paths = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const path of paths) {
    const before = Object.hasOwn(expected, path) ? expected[path] : undefined;
    const after = Object.hasOwn(actual, path) ? actual[path] : undefined;
    if (before === undefined) return { path, change: 'added' };
    if (after === undefined) return { path, change: 'removed' };
    if (before !== after) return { path, change: 'changed' };
  }
  return undefined;
}
