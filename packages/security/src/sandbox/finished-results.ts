// The results of a run's finished calls, kept in memory the worker shares with its host.
//
// A hook's plugins in one worker run in one request (a run), answered in one reply when the last
// call ends. When the watchdog has to stop the worker part-way — a plugin's runaway in built-ins
// that QuickJS's interrupt cannot stop — that reply never comes, and the plugins that had already
// answered would lose their answers to a neighbour's fault. So the worker writes each finished
// call's result here before starting the next call, and the host reads them back when the worker
// is lost: only the culprit fails, as when every plugin had a request of its own.
//
// One run at a time owns the area. A run that cannot have it (another run of the same worker is
// waiting on an async ctx call) runs its first call only, and a result that does not fit ends the
// run after it: the calls that never start come back as not run, which the host runs again.
const OWNER = 0;
const COUNT = 1;
const USED = 2;
const HEADER_BYTES = 16;
/** Room for the finished results of one run (results are capped at 1 MiB each by the limits). */
const AREA_BYTES = 2 * 1024 * 1024;

const encoder = new TextEncoder();

export function finishedResultsBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + AREA_BYTES);
}

export class FinishedResults {
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly lengths: DataView;

  constructor(private readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / Int32Array.BYTES_PER_ELEMENT);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.lengths = new DataView(buffer, HEADER_BYTES);
  }

  /** In the worker: request `id` takes the area; false when another run holds it. */
  claim(id: number): boolean {
    if (Atomics.compareExchange(this.header, OWNER, 0, id) !== 0) return false;
    Atomics.store(this.header, USED, 0);
    Atomics.store(this.header, COUNT, 0);
    return true;
  }

  /** In the worker: the run is over (its reply is sent). */
  release(id: number): void {
    Atomics.compareExchange(this.header, OWNER, id, 0);
  }

  /** In the worker: keeps a finished call's result (its reply text); false when it does not fit. */
  append(text: string): boolean {
    const used = Atomics.load(this.header, USED);
    const start = used + 4;
    if (start > this.bytes.length) return false;
    const { read, written } = encoder.encodeInto(text, this.bytes.subarray(start));
    if (read !== text.length) return false;
    this.lengths.setUint32(used, written);
    Atomics.store(this.header, USED, start + written);
    // Published last: the host reads only results counted here.
    Atomics.add(this.header, COUNT, 1);
    return true;
  }

  /** In the host, once the worker is gone: the result texts request `id` had kept, in call order. */
  read(id: number): string[] {
    if (Atomics.load(this.header, OWNER) !== id) return [];
    const texts: string[] = [];
    let offset = 0;
    for (let index = Atomics.load(this.header, COUNT); index > 0; index--) {
      const length = this.lengths.getUint32(offset);
      texts.push(Buffer.from(this.buffer, HEADER_BYTES + offset + 4, length).toString('utf8'));
      offset += 4 + length;
    }
    return texts;
  }
}
