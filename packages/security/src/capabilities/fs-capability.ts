// ctx.fs: files inside the plugin's own data folder, nowhere else. A path is refused when it is
// absolute, climbs out with `..`, or resolves — through a symlink anywhere along it — outside the
// folder's real path. At most `max_file_descriptors` operations hold a file open at once.
import { constants } from 'node:fs';
import { appendFile, lstat, mkdir, open, readdir, realpath, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { FileStat, JsonValue } from '@marathon/plugin-api';
import { CapabilityError } from './capability-error';
import { isInside } from './path-inside';
import type { PluginScope } from './plugin-scope';

/** The most a single read or write may move, so one call cannot fill the plugin's memory. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realOrNearest(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length === 0 ? real : resolve(real, ...missing.reverse());
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      missing.push(current.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      current = parent;
    }
  }
}

function hostError(error: unknown, shown: string): CapabilityError {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const messages: Record<string, string> = {
    ENOENT: `no such file or folder: ${shown}`,
    EEXIST: `already exists: ${shown}`,
    ENOTDIR: `not a folder: ${shown}`,
    EISDIR: `is a folder: ${shown}`,
    ENOTEMPTY: `folder not empty: ${shown} (pass { recursive: true } to remove it with its contents)`,
    EACCES: `permission denied: ${shown}`,
    EPERM: `permission denied: ${shown}`,
    ELOOP: `too many symbolic links: ${shown}`,
  };
  return new CapabilityError(code, messages[code] ?? `cannot access ${shown} (${code})`);
}

export type FsOp = 'read' | 'write' | 'append' | 'list' | 'stat' | 'remove' | 'mkdir';

/** Runs one ctx.fs operation for the plugin; returns JSON data for the guest. */
export async function fsCall(scope: PluginScope, op: FsOp, args: readonly unknown[]): Promise<JsonValue> {
  const capability = `fs.${op}`;
  // list() with no path lists the data folder itself (undefined arrives as null through JSON).
  const given = (args[0] === undefined || args[0] === null) && op === 'list' ? '.' : args[0];
  const shown = typeof given === 'string' ? given : String(given);
  scope.require('filesystem', capability, shown);
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024 || given.includes('\0')) {
    throw scope.deny(capability, shown, 'EINVAL', `${capability}: the path must be a non-empty string of at most 1024 characters`);
  }
  if (isAbsolute(given))
    throw scope.deny(capability, shown, 'EPERM', `${capability}: '${given}' is absolute; paths are relative to the plugin's data folder`);
  const root = scope.spec.dataDir;
  const target = resolve(root, given);
  if (!isInside(root, target))
    throw scope.deny(capability, shown, 'EPERM', `${capability}: '${given}' is outside the plugin's data folder`);

  scope.realDataDir ??= await realpath(root);
  let real: string;
  try {
    real = await realOrNearest(target);
  } catch (error) {
    throw hostError(error, shown);
  }
  if (!isInside(scope.realDataDir, real)) {
    throw scope.deny(
      capability,
      shown,
      'EPERM',
      `${capability}: '${given}' leads outside the plugin's data folder (through a symbolic link)`,
    );
  }
  if ((op === 'remove' || op === 'write' || op === 'append') && real === scope.realDataDir) {
    throw scope.deny(
      capability,
      shown,
      'EPERM',
      `${capability}: the data folder itself cannot be ${op === 'remove' ? 'removed' : 'written'}`,
    );
  }
  if (scope.openFiles >= scope.spec.limits.max_file_descriptors) {
    throw scope.deny(
      capability,
      shown,
      'EMFILE',
      `${capability}: too many files open at once (limit ${scope.spec.limits.max_file_descriptors})`,
    );
  }

  scope.openFiles += 1;
  try {
    const result = await run(op, real, args, shown);
    scope.audit(capability, shown, true);
    return result;
  } catch (error) {
    if (error instanceof CapabilityError) throw error;
    throw hostError(error, shown);
  } finally {
    scope.openFiles -= 1;
  }
}

function dataArgument(value: unknown, op: string): string {
  if (typeof value !== 'string') throw new CapabilityError('EINVAL', `fs.${op}: data must be a string`);
  if (Buffer.byteLength(value) > MAX_FILE_BYTES)
    throw new CapabilityError('EFBIG', `fs.${op}: data is larger than ${MAX_FILE_BYTES} bytes`);
  return value;
}

function recursiveOption(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { recursive?: unknown }).recursive === true;
}

async function run(op: FsOp, real: string, args: readonly unknown[], shown: string): Promise<JsonValue> {
  switch (op) {
    case 'read': {
      // O_NOFOLLOW: the last component was checked above; refuse it if it turned into a link since.
      const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const info = await handle.stat();
        if (info.size > MAX_FILE_BYTES) throw new CapabilityError('EFBIG', `fs.read: ${shown} is larger than ${MAX_FILE_BYTES} bytes`);
        return await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    }
    case 'write':
      await writeFile(real, dataArgument(args[1], op), {
        flag: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      });
      return null;
    case 'append':
      await appendFile(real, dataArgument(args[1], op), {
        flag: constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW,
      });
      return null;
    case 'list':
      return (await readdir(real)).sort();
    case 'stat': {
      const info = await lstat(real);
      const type: FileStat['type'] = info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
      return { type, size: info.size, mtime_ms: Math.round(info.mtimeMs) };
    }
    case 'remove': {
      const info = await lstat(real);
      if (info.isDirectory() && !recursiveOption(args[1])) await rmdir(real);
      else await rm(real, { recursive: recursiveOption(args[1]), force: false });
      return null;
    }
    case 'mkdir':
      await mkdir(real, { recursive: recursiveOption(args[1]) });
      return null;
  }
}
