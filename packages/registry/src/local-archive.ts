// Taking a local .tgz into staging. The file is read once, into a copy that is both hashed and
// unpacked: reading the operator's path twice (once to hash for --integrity, once to unpack) let a
// FIFO, a device or a file rewritten in between hand the unpacker other bytes than the ones that
// matched the digest. Only a regular file is taken — a pipe, device or socket can answer each read
// differently — and no more of it than a plugin may be.
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { RegistryError } from './errors';
import { copyHashed } from './hashed-copy';

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** Copies the archive at `path` into `copy` (a new file), resolving to the SRI sha512 of the copy. */
export async function copyLocalArchive(path: string, copy: string, maxBytes: number): Promise<string> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO that has no writer would otherwise wait forever, before fstat
    // could say what it is. O_NOCTTY: a terminal device must not become the controlling one.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RegistryError('SOURCE_NOT_FOUND', `no such file or folder: ${path}`);
    // ENXIO is what opening a unix socket gives.
    if (code === 'ENXIO')
      throw new RegistryError(
        'SOURCE_UNSUPPORTED',
        `${path} is a socket or a device, not a regular file: install from a .tgz file on disk`,
      );
    throw new RegistryError(
      'SOURCE_UNSUPPORTED',
      `cannot read ${path} (${code ?? String(error)}): check that it is a .tgz file you can read`,
    );
  }
  try {
    // fstat of the opened descriptor, not stat of the path: it describes the very file read below.
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new RegistryError(
        'SOURCE_UNSUPPORTED',
        `${path} is ${kindOf(info)}, not a regular file: install from a .tgz file on ` +
          `disk (a pipe or device could give other bytes than the ones --integrity checked)`,
      );
    }
    const tooBig = () =>
      new RegistryError('SOURCE_UNSUPPORTED', `${path} is over the ${maxBytes} bytes a plugin may be (the policy's max_plugin_size)`);
    if (info.size > maxBytes) throw tooBig();
    // The cap applies again while copying: the file may grow after fstat.
    return await copyHashed(handle.createReadStream({ autoClose: false, start: 0 }), copy, { maxBytes, tooBig });
  } finally {
    await handle.close();
  }
}
