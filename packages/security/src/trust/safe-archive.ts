// Unpacking a plugin archive (.tgz) without trusting it. Entries are read with node-tar's parser
// and written by this code, one checked entry at a time, into a fresh folder: absolute paths,
// '..' segments, symbolic and hard links, devices and FIFOs, repeated paths, too many entries and
// too many bytes are refused as they arrive. A bomb is stopped at the limit, not after filling the
// disk, and on any refusal the half-written folder is removed. Nothing is ever written outside it.
import { closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Parser as TarParser, ReadEntry } from 'tar';

// node-tar is loaded on first use: every process that imports this package (the CLI at each
// start) would otherwise pay for it, and only installs from archives need it.
const loadTar = (): typeof import('tar') => require('tar') as typeof import('tar');
import { TrustError } from './trust-error';

export interface ArchiveLimits {
  /** Bytes of file content the archive may unpack to, in all. */
  maxBytes: number;
  /** Entries (files and folders) it may hold. */
  maxEntries: number;
  /** Leading path segments to drop, as npm's `package/` prefix: 1 for npm tarballs. */
  strip?: number;
}

export interface ExtractedArchive {
  files: string[];
  bytes: number;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
/** Above this compressed-to-unpacked ratio the parser gives up: gzip bombs reach thousands. */
const MAX_DECOMPRESSION_RATIO = 200;

/** The entry's path, relative and clean, or why it is refused. */
function checkPath(raw: string, strip: number): { path: string } | { refused: string } {
  if (raw.length === 0 || raw.length > 1024) return { refused: `entry path of ${raw.length} characters` };
  if (raw.includes('\0')) return { refused: `entry '${raw.replace(/\0/g, '\\0')}' has a NUL in its path` };
  if (raw.includes('\\')) return { refused: `entry '${raw}' has a backslash in its path` };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return { refused: `entry '${raw}' has an absolute path` };
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { refused: `entry '${raw}' climbs out of the folder with '..'` };
  return { path: segments.slice(strip).join('/') };
}

function describeFsError(error: unknown): string {
  const { code } = error as NodeJS.ErrnoException;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/**
 * Unpacks a gzipped (or plain) tarball into `target`, which must not exist yet. Throws TrustError
 * ARCHIVE_REFUSED naming the entry and the rule it broke; the folder is then gone.
 */
export async function extractArchive(source: string | Readable, target: string, limits: ArchiveLimits): Promise<ExtractedArchive> {
  await mkdir(dirname(target), { recursive: true });
  try {
    await mkdir(target);
  } catch {
    throw new TrustError('ARCHIVE_REFUSED', `cannot unpack into ${target}: it must be a new, empty folder`);
  }
  const strip = limits.strip ?? 0;
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const files: string[] = [];
  const seen = new Set<string>();
  const folders = new Set<string>();
  /** How many folders `path` needs that no earlier entry made (an explicit folder is already counted). */
  const newFolders = (path: string, isFolder: boolean): number => {
    const segments = path.split('/');
    let count = 0;
    for (let depth = 1; depth <= segments.length; depth += 1) {
      const folder = segments.slice(0, depth).join('/');
      const isItself = depth === segments.length;
      if ((isItself && !isFolder) || folders.has(folder)) continue;
      folders.add(folder);
      if (!isItself) count += 1;
    }
    return count;
  };
  let entries = 0;
  let bytes = 0;

  const outcome = await new Promise<TrustError | undefined>((resolve) => {
    let settled = false;
    let openFd: number | undefined;
    const finish = (error?: TrustError) => {
      if (settled) return;
      settled = true;
      if (openFd !== undefined) closeSync(openFd);
      openFd = undefined;
      resolve(error);
    };
    const refuse = (reason: string) => {
      finish(new TrustError('ARCHIVE_REFUSED', `archive refused: ${reason}`));
      input.unpipe?.(parser);
      input.destroy();
    };
    const { Parser } = loadTar();
    const parser = new Parser({
      strict: true,
      maxDecompressionRatio: MAX_DECOMPRESSION_RATIO,
      onwarn: (_code: string, message: string | Error) =>
        refuse(`not a valid tarball (${message instanceof Error ? message.message : message})`),
    } as ConstructorParameters<typeof TarParser>[0]);

    const onEntry = (entry: ReadEntry): void => {
      if (settled) {
        entry.resume();
        return;
      }
      const checked = checkPath(entry.path, strip);
      if ('refused' in checked) {
        entry.resume();
        return refuse(checked.refused);
      }
      if (entry.type !== 'Directory' && !FILE_TYPES.has(entry.type)) {
        entry.resume();
        const kind = entry.type === 'SymbolicLink' ? 'a symbolic link' : entry.type === 'Link' ? 'a hard link' : `a ${entry.type} entry`;
        return refuse(`entry '${entry.path}' is ${kind}; a plugin archive holds only files and folders`);
      }
      entries += 1;
      if (entries > limits.maxEntries) {
        entry.resume();
        return refuse(`more than ${limits.maxEntries} entries`);
      }
      if (checked.path === '') {
        entry.resume();
        return undefined;
      }
      if (seen.has(checked.path)) {
        entry.resume();
        return refuse(`entry '${entry.path}' appears twice`);
      }
      seen.add(checked.path);
      // The folders a path creates count as entries too: otherwise one entry 'd/d/d/…/f' makes
      // hundreds of folders, and the entry limit would not bound what lands on disk.
      entries += newFolders(checked.path, entry.type === 'Directory');
      if (entries > limits.maxEntries) {
        entry.resume();
        return refuse(`more than ${limits.maxEntries} entries (counting the folders their paths create)`);
      }
      const destination = join(target, checked.path);
      if (entry.type === 'Directory') {
        mkdirSync(destination, { recursive: true });
        entry.resume();
        return undefined;
      }
      if (bytes + entry.size > limits.maxBytes) {
        entry.resume();
        return refuse(`it unpacks to more than ${limits.maxBytes} bytes (at '${entry.path}')`);
      }
      mkdirSync(dirname(destination), { recursive: true });
      let fd: number;
      try {
        fd = openSync(destination, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      } catch {
        entry.resume();
        return refuse(`entry '${entry.path}' cannot be written`);
      }
      files.push(checked.path);
      openFd = fd;
      entry.on('data', (chunk: Buffer) => {
        if (settled) return;
        bytes += chunk.length;
        if (bytes > limits.maxBytes) return refuse(`it unpacks to more than ${limits.maxBytes} bytes (at '${entry.path}')`);
        try {
          writeSync(fd, chunk);
        } catch (error) {
          refuse(`entry '${entry.path}' cannot be written (${describeFsError(error)})`);
        }
      });
      entry.on('end', () => {
        if (openFd === fd) {
          closeSync(fd);
          openFd = undefined;
        }
      });
      return undefined;
    };
    // A file system error while writing an entry (a path through a file written earlier, a name
    // too long for the disk) would otherwise be thrown inside the parser's event: an uncaught
    // exception, and a promise that never settles. It is a refusal like any other.
    parser.on('entry', (entry: ReadEntry) => {
      try {
        onEntry(entry);
      } catch (error) {
        entry.resume();
        refuse(`entry '${entry.path}' cannot be written (${describeFsError(error)})`);
      }
    });
    parser.on('error', (error: Error) => refuse(`not a valid tarball (${error.message})`));
    parser.on('end', () => finish());
    input.on('error', (error: Error) => refuse(`cannot be read (${error.message})`));
    input.pipe(parser as unknown as NodeJS.WritableStream);
  });

  if (outcome !== undefined) {
    await rm(target, { recursive: true, force: true });
    throw outcome;
  }
  return { files: files.sort(), bytes };
}
