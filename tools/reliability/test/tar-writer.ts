// A tiny tar writer for the archive fuzz suite. node-tar refuses to write most of what a hostile
// archive holds (paths with '..', NUL or backslashes, links out of the folder, devices, sizes that
// lie), so entries are written byte by byte here: ustar headers, PAX records for long paths and
// huge sizes, and bodies that may be shorter than their header claims.

export type EntryType =
  'file' | 'dir' | 'symlink' | 'hardlink' | 'chardev' | 'blockdev' | 'fifo' | 'gnu-longname' | 'global-pax' | 'unknown';

export interface TarEntry {
  path: string;
  type: EntryType;
  body?: Buffer;
  /** The size the header declares; the body's length when absent. */
  declaredSize?: number;
  linkTarget?: string;
  /** Write the path (and a huge size) as a PAX extended header, as tar does past ustar's limits. */
  pax?: boolean;
}

const TYPE_FLAGS: Record<EntryType, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  chardev: '3',
  blockdev: '4',
  dir: '5',
  fifo: '6',
  'gnu-longname': 'L',
  'global-pax': 'g',
  unknown: 'Z',
};

function octal(value: number, width: number): string {
  return value
    .toString(8)
    .padStart(width - 1, '0')
    .slice(-(width - 1));
}

/** One 512-byte header. Strings are cut to their field; the checksum is computed as tar does. */
function header(name: string, typeFlag: string, size: number, linkTarget: string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 8, 'ascii');
  block.write(octal(1000, 8), 108, 8, 'ascii');
  block.write(octal(1000, 8), 116, 8, 'ascii');
  if (size > 0o77777777777) {
    // Base-256 for sizes past 8 GiB: what GNU tar writes, and node-tar reads.
    block[124] = 0x80;
    block.writeUIntBE(Math.min(size, 2 ** 48 - 1), 136 - 6, 6);
  } else {
    block.write(octal(size, 12), 124, 12, 'ascii');
  }
  block.write(octal(1_700_000_000, 12), 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii');
  block.write(typeFlag, 156, 1, 'latin1');
  block.write(linkTarget, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'latin1');
  block.write('fuzz', 265, 32, 'ascii');
  block.write('fuzz', 297, 32, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${octal(sum, 7)}\u0000 `, 148, 8, 'latin1');
  return block;
}

function padded(body: Buffer): Buffer {
  const rest = body.length % 512;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(512 - rest)]);
}

/** A PAX record: "<length> <key>=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const tail = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(tail) + 1;
  while (String(length).length + Buffer.byteLength(tail) !== length) length += 1;
  return `${length}${tail}`;
}

export function tarEntry(entry: TarEntry): Buffer {
  const body = entry.body ?? Buffer.alloc(0);
  const size = entry.declaredSize ?? body.length;
  const parts: Buffer[] = [];
  if (entry.pax === true) {
    const records = Buffer.from(paxRecord('path', entry.path) + (size > 0o77777777777 ? paxRecord('size', String(size)) : ''), 'utf8');
    parts.push(header('PaxHeader/x', 'x', records.length, ''), padded(records));
  }
  const flag = TYPE_FLAGS[entry.type];
  parts.push(
    header(
      entry.path,
      flag,
      entry.type === 'file' || entry.type === 'unknown' || entry.type === 'gnu-longname' || entry.type === 'global-pax' ? size : 0,
      entry.linkTarget ?? '',
    ),
  );
  parts.push(padded(body));
  return Buffer.concat(parts);
}

/** A whole tarball: its entries, then the two zero blocks that end it (unless `unterminated`). */
export function tarball(entries: readonly TarEntry[], unterminated = false): Buffer {
  return Buffer.concat([...entries.map(tarEntry), unterminated ? Buffer.alloc(0) : Buffer.alloc(1024)]);
}
