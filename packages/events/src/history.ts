import { isHookType, type HookType } from '@marathon/plugin-api';
import { EventsError } from './errors';

/** One handler call: the EventRecord of docs/design.md ("Hooks"). */
export interface EventRecord {
  /** Milliseconds since the epoch when the call started. */
  timestamp: number;
  hook_type: HookType;
  plugin_name: string;
  /** The data the handler received, as JSON (cut at 1 KiB); only when the history records data. */
  data?: string;
  success: boolean;
  duration_ns: number;
  result_message?: string;
}

export interface HistoryQuery {
  plugin?: string;
  hook?: HookType;
  success?: boolean;
  /** Only records at or after this time (ms since the epoch). */
  since?: number;
  /** At most this many, the newest ones. */
  limit?: number;
}

export const DEFAULT_HISTORY_CAPACITY = 1000;
const MAX_DATA_CHARS = 1024;

/** JSON of a handler's input for the history, cut short; never throws (cycles, BigInt, getters). */
export function summariseData(data: unknown): string | undefined {
  try {
    const json = JSON.stringify(data);
    if (json === undefined) return undefined;
    return json.length > MAX_DATA_CHARS ? `${json.slice(0, MAX_DATA_CHARS - 1)}…` : json;
  } catch {
    return '[unserialisable]';
  }
}

/**
 * A bounded ring buffer of handler calls: the newest `capacity` are kept. Stored by column
 * (typed arrays for numbers), so recording a call allocates nothing; records are built when read.
 */
export class EventHistory {
  private readonly timestamps: Float64Array;
  private readonly durations: Float64Array;
  private readonly successes: Uint8Array;
  private readonly hooks: Array<HookType | undefined>;
  private readonly plugins: Array<string | undefined>;
  private readonly messages: Array<string | undefined>;
  private readonly data: Array<string | undefined>;
  private next = 0;
  private filled = 0;
  private added = 0;

  constructor(readonly capacity: number = DEFAULT_HISTORY_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new EventsError('INVALID_OPTION', `history capacity must be a whole number of at least 1, got ${String(capacity)}`);
    }
    this.timestamps = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.successes = new Uint8Array(capacity);
    this.hooks = new Array<HookType | undefined>(capacity).fill(undefined);
    this.plugins = new Array<string | undefined>(capacity).fill(undefined);
    this.messages = new Array<string | undefined>(capacity).fill(undefined);
    this.data = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** Records one call without building a record object (the bus's path). */
  push(
    timestamp: number,
    hook: HookType,
    plugin: string,
    success: boolean,
    durationNs: number,
    message: string | undefined,
    data: string | undefined,
  ): void {
    const at = this.next;
    this.timestamps[at] = timestamp;
    this.hooks[at] = hook;
    this.plugins[at] = plugin;
    this.successes[at] = success ? 1 : 0;
    this.durations[at] = durationNs;
    this.messages[at] = message;
    this.data[at] = data;
    this.next = at + 1 === this.capacity ? 0 : at + 1;
    if (this.filled < this.capacity) this.filled += 1;
    this.added += 1;
  }

  /** How many records were ever added, including those since pushed out. */
  get total(): number {
    return this.added;
  }

  /**
   * Records added after the history's `total` was `mark`, oldest first: what a host appends to its
   * log since its last flush. Records already pushed out of the buffer are gone.
   */
  since(mark: number): EventRecord[] {
    const count = Math.min(Math.max(0, this.added - mark), this.filled);
    return count === 0 ? [] : this.all().slice(this.filled - count);
  }

  add(record: EventRecord): void {
    this.push(
      record.timestamp,
      record.hook_type,
      record.plugin_name,
      record.success,
      record.duration_ns,
      record.result_message,
      record.data,
    );
  }

  get size(): number {
    return this.filled;
  }

  private record(at: number): EventRecord {
    const record: EventRecord = {
      timestamp: Math.round(this.timestamps[at]!),
      hook_type: this.hooks[at]!,
      plugin_name: this.plugins[at]!,
      success: this.successes[at] === 1,
      duration_ns: this.durations[at]!,
    };
    const message = this.messages[at];
    if (message !== undefined) record.result_message = message;
    const data = this.data[at];
    if (data !== undefined) record.data = data;
    return record;
  }

  /** Records, oldest first. */
  all(): EventRecord[] {
    const out: EventRecord[] = [];
    const start = this.filled < this.capacity ? 0 : this.next;
    for (let i = 0; i < this.filled; i++) out.push(this.record((start + i) % this.capacity));
    return out;
  }

  /** Records matching every given criterion, oldest first. */
  query(query: HistoryQuery = {}): EventRecord[] {
    const matches = this.all().filter(
      (record) =>
        (query.plugin === undefined || record.plugin_name === query.plugin) &&
        (query.hook === undefined || record.hook_type === query.hook) &&
        (query.success === undefined || record.success === query.success) &&
        (query.since === undefined || record.timestamp >= query.since),
    );
    return query.limit === undefined ? matches : matches.slice(Math.max(0, matches.length - query.limit));
  }

  clear(): void {
    this.hooks.fill(undefined);
    this.plugins.fill(undefined);
    this.messages.fill(undefined);
    this.data.fill(undefined);
    this.next = 0;
    this.filled = 0;
  }

  /** Plain records, oldest first, for a host to persist. */
  toJSON(): EventRecord[] {
    return this.all();
  }

  /** A history holding persisted records (the newest `capacity` of them); refuses malformed ones. */
  static fromJSON(records: unknown, capacity: number = DEFAULT_HISTORY_CAPACITY): EventHistory {
    if (!Array.isArray(records)) throw new EventsError('INVALID_OPTION', 'event history must be an array of records');
    const history = new EventHistory(capacity);
    records.forEach((record, index) => history.add(checkRecord(record, index)));
    return history;
  }
}

function checkRecord(value: unknown, index: number): EventRecord {
  const record = value as Partial<EventRecord> | null;
  const ok =
    typeof record === 'object' &&
    record !== null &&
    typeof record.timestamp === 'number' &&
    isHookType(record.hook_type) &&
    typeof record.plugin_name === 'string' &&
    typeof record.success === 'boolean' &&
    typeof record.duration_ns === 'number' &&
    (record.result_message === undefined || typeof record.result_message === 'string') &&
    (record.data === undefined || typeof record.data === 'string');
  if (!ok) throw new EventsError('INVALID_OPTION', `event history record ${index} is malformed`);
  const copy: EventRecord = {
    timestamp: record.timestamp!,
    hook_type: record.hook_type!,
    plugin_name: record.plugin_name!,
    success: record.success!,
    duration_ns: record.duration_ns!,
  };
  if (record.result_message !== undefined) copy.result_message = record.result_message;
  if (record.data !== undefined) copy.data = record.data;
  return copy;
}
