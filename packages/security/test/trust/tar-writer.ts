// A minimal ustar writer for tests: it writes whatever entries it is given, including the
// malicious ones (absolute paths, '..', links, devices) that real tar tools refuse to create.
import { gzipSync } from 'node:zlib';

export interface RawEntry {
  path: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';
  content?: string | Buffer;
  /** Declared size, when it should differ from the content's. */
  size?: number;
  link?: string;
}

const TYPE_FLAGS = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' } as const;

function field(buffer: Buffer, offset: number, length: number, value: string): void {
  buffer.write(value.slice(0, length), offset, length, 'utf8');
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function header(entry: RawEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  field(block, 0, 100, entry.path);
  field(block, 100, 8, octal(entry.type === 'dir' ? 0o755 : 0o644, 8));
  field(block, 108, 8, octal(0, 8));
  field(block, 116, 8, octal(0, 8));
  field(block, 124, 12, octal(size, 12));
  field(block, 136, 12, octal(1_700_000_000, 12));
  field(block, 148, 8, '        ');
  field(block, 156, 1, TYPE_FLAGS[entry.type ?? 'file']);
  field(block, 157, 100, entry.link ?? '');
  field(block, 257, 6, 'ustar\0');
  field(block, 263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  field(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

export function tarball(entries: RawEntry[], gzip = true): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content =
      entry.content === undefined ? Buffer.alloc(0) : Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content);
    const size = entry.size ?? (entry.type === undefined || entry.type === 'file' ? content.length : 0);
    parts.push(header(entry, size));
    if (size > 0) {
      const body = Buffer.alloc(Math.ceil(size / 512) * 512);
      content.copy(body, 0, 0, Math.min(content.length, size));
      parts.push(body);
    }
  }
  parts.push(Buffer.alloc(1024));
  const tar = Buffer.concat(parts);
  return gzip ? gzipSync(tar) : tar;
}
