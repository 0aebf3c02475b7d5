import type { Permission } from '@marathon/plugin-api';
import { AUDIT_DROPPED_CAPABILITY, AUDIT_ENTRIES_PER_CALL, boundAuditEntry } from '../audit-bounds';
import type { AuditEntry } from '../audit-trail';
import type { WorkerPluginSpec } from '../sandbox/protocol';
import { CallAuditBudget } from './call-audit-budget';
import { CapabilityError, permissionMissing } from './capability-error';

/**
 * What the capabilities know of the plugin calling them: its spec, its resource counters, and the
 * audit trail of the current request. One per loaded instance, in the worker.
 */
export class PluginScope {
  openFiles = 0;
  openConnections = 0;
  private callDeadline = Number.POSITIVE_INFINITY;
  private readonly budget = new CallAuditBudget();
  /** Real path of the data folder, resolved once it exists. */
  realDataDir: string | undefined;

  constructor(
    readonly spec: WorkerPluginSpec,
    private readonly auditSink: (entry: AuditEntry) => void,
  ) {}

  /** Milliseconds since the epoch by which the current call must end. */
  get deadline(): number {
    return this.callDeadline;
  }

  /**
   * @deprecated Use startCall. Assigning the deadline is how a call started before startCall
   * existed, so it still starts one: otherwise the per-call audit budget would never be restored.
   */
  set deadline(at: number) {
    this.beginCall(at);
  }

  /** A call starts: it must end within `deadlineMs`, and it gets a whole audit budget of its own. */
  startCall(deadlineMs: number): void {
    this.beginCall(Date.now() + deadlineMs);
  }

  /**
   * The current call has ended: records one entry counting what it did not record one by one, if
   * anything. startCall does this too, for a call whose end was not reported.
   */
  endCall(): void {
    const dropped = this.budget.takeDropped();
    if (dropped === undefined) return;
    this.auditSink({
      time: Date.now(),
      plugin: this.spec.name,
      capability: AUDIT_DROPPED_CAPABILITY,
      target: `${dropped.allowed} allowed, ${dropped.denied} denied`,
      // A summary that hides denials is itself a denial record, so that `--denied` shows it.
      allowed: dropped.denied === 0,
      reason: `more than ${AUDIT_ENTRIES_PER_CALL} capability calls in one call; these were counted, not recorded one by one`,
      dropped,
    });
  }

  private beginCall(deadline: number): void {
    this.endCall();
    this.budget.reset();
    this.callDeadline = deadline;
  }

  audit(capability: string, target: string, allowed: boolean, reason?: string): void {
    if (!this.budget.admit(allowed)) return;
    const entry: AuditEntry = { time: Date.now(), plugin: this.spec.name, capability, target, allowed };
    if (reason !== undefined) entry.reason = reason;
    this.auditSink(boundAuditEntry(entry));
  }

  /** Throws (and audits) unless the plugin holds `permission`. */
  require(permission: Permission, capability: string, target: string): void {
    if (this.spec.permissions.includes(permission)) return;
    const error = permissionMissing(permission, capability);
    this.audit(capability, target, false, `no '${permission}' permission`);
    throw error;
  }

  /** Audits a refusal and returns the error to throw. */
  deny(capability: string, target: string, code: string, message: string): CapabilityError {
    this.audit(capability, target, false, message);
    return new CapabilityError(code, message);
  }

  /** Milliseconds left before the current call's deadline. */
  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }
}
