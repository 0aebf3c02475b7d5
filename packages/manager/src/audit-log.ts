// The persisted audit trail: allowed capability calls in audit.jsonl, written in batches with the
// rest of the history, and denials in audit-denied.jsonl, written the moment they arrive. Kept
// apart so that a flood of cheap allowed calls (2.4 MB of `ctx.storage.get`) rotates only allowed
// entries away, never the denials an operator looks for with `plugin audit <name> --denied`; and
// written at once so that a host that crashes right after a denial still has it on disk.
import { join } from 'node:path';
import type { AuditEntry } from '@marathon/security/sandbox';
import { JsonlLog, type JsonlLogOptions } from './jsonl-log';

/** Denials kept in memory when writing them failed, to try again with the next batch. */
const RETRY_KEPT = 1000;

export class AuditLog {
  readonly allowed: JsonlLog<AuditEntry>;
  readonly denied: JsonlLog<AuditEntry>;
  private retry: AuditEntry[] = [];

  constructor(historyDir: string, options: { allowed?: JsonlLogOptions; denied?: JsonlLogOptions } = {}) {
    this.allowed = new JsonlLog(join(historyDir, 'audit.jsonl'), options.allowed);
    this.denied = new JsonlLog(join(historyDir, 'audit-denied.jsonl'), options.denied);
  }

  /**
   * Writes a denial before returning. Never throws: it runs in the sandbox host's message handler;
   * when the disk refuses, the denial waits in memory for the next batch.
   */
  recordDenied(entry: AuditEntry): void {
    try {
      this.denied.appendSync([...this.retry, entry]);
      this.retry = [];
    } catch {
      this.keepForRetry([entry]);
    }
  }

  private keepForRetry(entries: readonly AuditEntry[]): void {
    this.retry.push(...entries);
    if (this.retry.length > RETRY_KEPT) this.retry.splice(0, this.retry.length - RETRY_KEPT);
  }

  /** Appends a batch; denials in it (and any waiting to be retried) go to their own log, at once. */
  async append(records: readonly AuditEntry[]): Promise<void> {
    const allowed = records.filter((record) => record.allowed);
    this.keepForRetry(records.filter((record) => !record.allowed));
    if (this.retry.length > 0) {
      // Synchronous like recordDenied, so the two never interleave a size check and a write.
      this.denied.appendSync(this.retry);
      this.retry = [];
    }
    await this.allowed.append(allowed);
  }

  /** Every entry kept, from both logs, in time order (entries of the same millisecond keep their log's order). */
  async read(): Promise<AuditEntry[]> {
    const [allowed, denied] = await Promise.all([this.allowed.read(), this.denied.read()]);
    return [...allowed, ...denied].sort((a, b) => a.time - b.time);
  }
}
