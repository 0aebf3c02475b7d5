// An append-only JSON Lines file in MARATHON_HOME that a later process can read back: the event
// history and the audit trail. No file ever holds more than `maxFileBytes`: a batch that would pass
// it is continued in a fresh file, even in the middle (one batch once wrote 11.5 MB into a file
// meant to rotate at 1 MiB). Rotated files are kept as `<file>.1` (newest) … `<file>.N` (oldest),
// so the whole log stays under `maxTotalBytes`.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { appendFile, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface JsonlLogOptions {
  /** Bytes one file may hold. Default 1 MiB. */
  maxFileBytes?: number;
  /** Rotated files kept beside the current one. Default 4. */
  generations?: number;
}

/** A run of lines for one file, and whether the current file must be rotated away before it. */
interface Segment {
  rotateFirst: boolean;
  text: string;
}

/**
 * Cuts `lines` into the runs that fit files of `maxBytes`, given that the current file already
 * holds `size` bytes. A line that alone is larger than a file may be is left out and counted.
 */
function plan(lines: readonly string[], size: number, maxBytes: number): { segments: Segment[]; oversized: number } {
  const segments: Segment[] = [];
  let oversized = 0;
  let current: Segment = { rotateFirst: false, text: '' };
  for (const line of lines) {
    const bytes = Buffer.byteLength(line);
    if (bytes > maxBytes) {
      oversized++;
      continue;
    }
    if (size + bytes > maxBytes && size > 0) {
      if (current.text !== '') segments.push(current);
      current = { rotateFirst: true, text: '' };
      size = 0;
    }
    current.text += line;
    size += bytes;
  }
  if (current.text !== '') segments.push(current);
  return { segments, oversized };
}

function missing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export class JsonlLog<T> {
  readonly maxFileBytes: number;
  readonly generations: number;
  /** Records left out because one alone was larger than a file may be. */
  oversized = 0;

  constructor(
    readonly file: string,
    options: JsonlLogOptions = {},
  ) {
    this.maxFileBytes = Math.max(1, options.maxFileBytes ?? 1024 * 1024);
    this.generations = Math.max(1, Math.floor(options.generations ?? 4));
  }

  /** The most the current file and its generations hold together. */
  get maxTotalBytes(): number {
    return this.maxFileBytes * (this.generations + 1);
  }

  /** Every file of the log, oldest first: `.N` … `.1`, then the current one. */
  files(): string[] {
    const files: string[] = [];
    for (let generation = this.generations; generation >= 1; generation--) files.push(`${this.file}.${generation}`);
    files.push(this.file);
    return files;
  }

  async append(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    let size = 0;
    try {
      size = (await stat(this.file)).size;
    } catch (error) {
      if (!missing(error)) throw error;
    }
    const { segments, oversized } = plan(this.lines(records), size, this.maxFileBytes);
    this.oversized += oversized;
    for (const segment of segments) {
      if (segment.rotateFirst) await this.rotate();
      if (segment.text !== '') await appendFile(this.file, segment.text, { mode: 0o600 });
    }
  }

  /**
   * append, done before returning: for records that must be on disk even if the process dies
   * right after (denials in the audit trail). Throws what the file system throws.
   */
  appendSync(records: readonly T[]): void {
    if (records.length === 0) return;
    let size = 0;
    try {
      size = statSync(this.file).size;
    } catch (error) {
      if (!missing(error)) throw error;
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    }
    const { segments, oversized } = plan(this.lines(records), size, this.maxFileBytes);
    this.oversized += oversized;
    for (const segment of segments) {
      if (segment.rotateFirst) this.rotateSync();
      if (segment.text !== '') appendFileSync(this.file, segment.text, { mode: 0o600 });
    }
  }

  private lines(records: readonly T[]): string[] {
    return records.map((record) => `${JSON.stringify(record)}\n`);
  }

  /** Pairs of (from, to) that shift every file one generation older; the oldest is overwritten. */
  private shifts(): Array<[string, string]> {
    const files = this.files();
    const pairs: Array<[string, string]> = [];
    for (let index = 1; index < files.length; index++) pairs.push([files[index]!, files[index - 1]!]);
    return pairs;
  }

  private async rotate(): Promise<void> {
    for (const [from, to] of this.shifts()) {
      try {
        await rename(from, to);
      } catch (error) {
        if (!missing(error)) throw error;
      }
    }
  }

  private rotateSync(): void {
    for (const [from, to] of this.shifts()) {
      try {
        renameSync(from, to);
      } catch (error) {
        if (!missing(error)) throw error;
      }
    }
  }

  /**
   * Calls `onRecords` with the records appended to the log from now on, by any process, polling
   * the current file every `intervalMs` (`marathon plugin logs --follow`). A rotation (the file
   * moved away, a fresh one started) is followed into the new file from its start. Returns a
   * function that stops following.
   */
  follow(onRecords: (records: T[]) => void, intervalMs = 250): () => void {
    let position: { inode: number; offset: number } | undefined;
    try {
      const info = statSync(this.file);
      position = { inode: info.ino, offset: info.size };
    } catch (error) {
      if (!missing(error)) throw error;
      position = { inode: -1, offset: 0 }; // whatever file appears is new
    }
    // Bytes after the last newline: kept as bytes, so a character split across two reads is whole.
    let partial: Buffer = Buffer.alloc(0);
    let polling = false;
    const poll = async (): Promise<void> => {
      if (polling) return;
      polling = true;
      try {
        const info = await stat(this.file).catch(() => undefined);
        if (info === undefined || position === undefined) return;
        if (info.ino !== position.inode || info.size < position.offset) {
          position = { inode: info.ino, offset: 0 };
          partial = Buffer.alloc(0);
        }
        if (info.size === position.offset) return;
        const handle = await open(this.file, 'r');
        let bytes: Buffer;
        try {
          // A rotation between the stat and the open: the next poll starts the new file from 0.
          if ((await handle.stat()).ino !== position.inode) return;
          const buffer = Buffer.alloc(info.size - position.offset);
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, position.offset);
          position.offset += bytesRead;
          bytes = Buffer.concat([partial, buffer.subarray(0, bytesRead)]);
        } finally {
          await handle.close();
        }
        // A line is complete at its newline: the rest waits for the next poll.
        const end = bytes.lastIndexOf(0x0a) + 1;
        partial = bytes.subarray(end);
        const records = this.parse(bytes.subarray(0, end).toString('utf8').split('\n'));
        if (records.length > 0) onRecords(records);
      } finally {
        polling = false;
      }
    };
    const timer = setInterval(() => void poll().catch(() => undefined), intervalMs);
    return () => clearInterval(timer);
  }

  private parse(lines: readonly string[]): T[] {
    const records: T[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        // A line cut short by a crash mid-append.
      }
    }
    return records;
  }

  /** Every record kept, oldest file first, skipping lines a crash left half-written. */
  async read(): Promise<T[]> {
    const records: T[] = [];
    for (const file of this.files()) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      for (const record of this.parse(text.split('\n'))) records.push(record);
    }
    return records;
  }
}
