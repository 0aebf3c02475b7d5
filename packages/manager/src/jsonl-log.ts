// An append-only JSON Lines file in MARATHON_HOME that a later process can read back: the event
// history and the audit trail. When it passes `maxBytes` it is rotated to `<file>.1` (one old
// file kept), so it never grows without bound.
import { appendFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export class JsonlLog<T> {
  constructor(
    readonly file: string,
    private readonly maxBytes = 1024 * 1024,
  ) {}

  async append(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    try {
      if ((await stat(this.file)).size > this.maxBytes) await rename(this.file, `${this.file}.1`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await appendFile(this.file, records.map((record) => `${JSON.stringify(record)}\n`).join(''), { mode: 0o600 });
  }

  /** Every record kept (the rotated file first), skipping lines a crash left half-written. */
  async read(): Promise<T[]> {
    const records: T[] = [];
    for (const file of [`${this.file}.1`, this.file]) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          records.push(JSON.parse(line) as T);
        } catch {
          // A line cut short by a crash mid-append.
        }
      }
    }
    return records;
  }
}
