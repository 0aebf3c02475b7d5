import type { Permission } from '@marathon/plugin-api';
import type { AuditEntry } from '../audit-trail';
import type { WorkerPluginSpec } from '../sandbox/protocol';
import { CapabilityError, permissionMissing } from './capability-error';

/**
 * What the capabilities know of the plugin calling them: its spec, its resource counters, and the
 * audit trail of the current request. One per loaded instance, in the worker.
 */
export class PluginScope {
  openFiles = 0;
  openConnections = 0;
  /** Milliseconds since the epoch by which the current call must end (set per call). */
  deadline = Number.POSITIVE_INFINITY;
  /** Real path of the data folder, resolved once it exists. */
  realDataDir: string | undefined;

  constructor(
    readonly spec: WorkerPluginSpec,
    private readonly auditSink: (entry: AuditEntry) => void,
  ) {}

  audit(capability: string, target: string, allowed: boolean, reason?: string): void {
    const entry: AuditEntry = { time: Date.now(), plugin: this.spec.name, capability, target, allowed };
    if (reason !== undefined) entry.reason = reason;
    this.auditSink(entry);
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
