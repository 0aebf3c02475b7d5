import { boundAuditEntry } from './audit-bounds';

/** One capability call of a plugin, allowed or denied. */
export interface AuditEntry {
  /** Milliseconds since the epoch. */
  time: number;
  plugin: string;
  /** e.g. fs.read, net.fetch, env.get, exec, storage.set, task.write, import. */
  capability: string;
  /** What it was aimed at: a path relative to the data folder, a URL, a variable name, a command. */
  target: string;
  allowed: boolean;
  /** Why it was denied. */
  reason?: string;
  /** The target's length when it was longer than what is kept (see audit-bounds). */
  target_length?: number;
  /** The reason's length when it was longer than what is kept. */
  reason_length?: number;
  /** On a summary entry (capability `audit.dropped`): the calls one call made past its audit budget. */
  dropped?: { allowed: number; denied: number };
}

export interface AuditQuery {
  plugin?: string;
  capability?: string;
  allowed?: boolean;
  limit?: number;
}

interface Kept {
  seq: number;
  entry: AuditEntry;
}

/**
 * The newest `capacity` capability calls, for a later `marathon` command to show, plus an optional
 * sink that sees every entry (the manager persists through it). Every entry is bounded in size
 * before it is kept or passed on. Denials are kept apart and evicted only while they fill more
 * than half the capacity, so a flood of allowed calls cannot push them out.
 */
export class AuditTrail {
  private readonly allowedKept: Kept[] = [];
  private readonly deniedKept: Kept[] = [];
  private seq = 0;

  constructor(
    readonly capacity = 5000,
    private readonly sink?: (entry: AuditEntry) => void,
  ) {}

  record(entry: AuditEntry): void {
    const bounded = boundAuditEntry(entry);
    (bounded.allowed ? this.allowedKept : this.deniedKept).push({ seq: this.seq++, entry: bounded });
    while (this.allowedKept.length + this.deniedKept.length > this.capacity) {
      const evictDenied = this.allowedKept.length === 0 || this.deniedKept.length > this.capacity / 2;
      (evictDenied ? this.deniedKept : this.allowedKept).shift();
    }
    this.sink?.(bounded);
  }

  /** Every entry kept, in the order recorded. */
  private get entries(): AuditEntry[] {
    const merged: AuditEntry[] = [];
    let a = 0;
    let d = 0;
    while (a < this.allowedKept.length || d < this.deniedKept.length) {
      const takeAllowed =
        d >= this.deniedKept.length || (a < this.allowedKept.length && this.allowedKept[a]!.seq < this.deniedKept[d]!.seq);
      merged.push(takeAllowed ? this.allowedKept[a++]!.entry : this.deniedKept[d++]!.entry);
    }
    return merged;
  }

  /** Entries matching every criterion given, oldest first. */
  query(query: AuditQuery = {}): AuditEntry[] {
    const matches = this.entries.filter(
      (entry) =>
        (query.plugin === undefined || entry.plugin === query.plugin) &&
        (query.capability === undefined || entry.capability === query.capability) &&
        (query.allowed === undefined || entry.allowed === query.allowed),
    );
    return query.limit === undefined ? matches : matches.slice(-query.limit);
  }

  toJSON(): AuditEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }
}
