// How much one audit entry, and one call of a plugin, may put in the audit trail. Targets and
// reasons come from the guest (an env.get name, a URL, a storage key), so without bounds a plugin
// held to a small memory limit could make the host hold and write gigabytes: one denied
// `ctx.env.get` with a 4 MiB name, 25 times, made a 100 MB audit file and 875 MB of host memory.
import type { AuditEntry } from './audit-trail';

/** Characters of a target kept; the original length goes in `target_length`. */
export const AUDIT_TARGET_MAX = 256;
/** Characters of a reason kept (reasons often quote the target); the original length goes in `reason_length`. */
export const AUDIT_REASON_MAX = 512;
/** Characters of a plugin or capability name kept (both are short unless something is wrong). */
export const AUDIT_NAME_MAX = 128;
/** Entries one call of one plugin may record, allowed and denied together; the rest are counted in one summary entry. */
export const AUDIT_ENTRIES_PER_CALL = 64;
/**
 * Allowed entries one call may record. Lower than the whole budget so that the last slots of a
 * call are kept for denials: a flood of cheap allowed calls cannot push a denial out of the record.
 */
export const AUDIT_ALLOWED_PER_CALL = 48;
/** The capability named by the summary entry that counts what a call did not record one by one. */
export const AUDIT_DROPPED_CAPABILITY = 'audit.dropped';

/**
 * The first `max` characters of `text`, as a string of its own. A plain slice of a long string can
 * be a view that keeps the whole original alive (V8 sliced strings), which would defeat the bound
 * in memory; the copy through a buffer does not. A surrogate pair is not cut in half.
 */
export function boundedText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return Buffer.from(text.slice(0, end), 'utf16le').toString('utf16le');
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** `entry` with every guest-sized field bounded; the original lengths are kept beside what was cut. */
export function boundAuditEntry(entry: AuditEntry): AuditEntry {
  const target = asText(entry.target);
  const bounded: AuditEntry = {
    time: Number(entry.time),
    plugin: boundedText(asText(entry.plugin), AUDIT_NAME_MAX),
    capability: boundedText(asText(entry.capability), AUDIT_NAME_MAX),
    target: boundedText(target, AUDIT_TARGET_MAX),
    allowed: entry.allowed === true,
  };
  const targetLength = entry.target_length ?? (target.length > AUDIT_TARGET_MAX ? target.length : undefined);
  if (targetLength !== undefined) bounded.target_length = Number(targetLength);
  if (entry.reason !== undefined) {
    const reason = asText(entry.reason);
    bounded.reason = boundedText(reason, AUDIT_REASON_MAX);
    const reasonLength = entry.reason_length ?? (reason.length > AUDIT_REASON_MAX ? reason.length : undefined);
    if (reasonLength !== undefined) bounded.reason_length = Number(reasonLength);
  }
  if (entry.dropped !== undefined) bounded.dropped = { allowed: Number(entry.dropped.allowed), denied: Number(entry.dropped.denied) };
  return bounded;
}
