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
}

export interface AuditQuery {
  plugin?: string;
  capability?: string;
  allowed?: boolean;
  limit?: number;
}

/**
 * The newest `capacity` capability calls, for a later `marathon` command to show, plus an optional
 * sink that sees every entry (the manager persists through it).
 */
export class AuditTrail {
  private readonly entries: AuditEntry[] = [];

  constructor(
    readonly capacity = 5000,
    private readonly sink?: (entry: AuditEntry) => void,
  ) {}

  record(entry: AuditEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    this.sink?.(entry);
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
