// How many audit entries the current call of a plugin may still record. A call that makes
// thousands of capability calls (cheap `ctx.storage.get`s, say) would otherwise write thousands of
// entries and push everything older out of the trail; past the budget, entries are only counted.
import { AUDIT_ALLOWED_PER_CALL, AUDIT_ENTRIES_PER_CALL } from '../audit-bounds';

export interface DroppedCounts {
  allowed: number;
  denied: number;
}

export class CallAuditBudget {
  private recorded = 0;
  private recordedAllowed = 0;
  private droppedAllowed = 0;
  private droppedDenied = 0;

  constructor(
    private readonly perCall = AUDIT_ENTRIES_PER_CALL,
    private readonly allowedPerCall = AUDIT_ALLOWED_PER_CALL,
  ) {}

  /** Whether an entry may be recorded; counts it as dropped when not. */
  admit(allowed: boolean): boolean {
    const room = this.recorded < this.perCall && (!allowed || this.recordedAllowed < this.allowedPerCall);
    if (!room) {
      if (allowed) this.droppedAllowed++;
      else this.droppedDenied++;
      return false;
    }
    this.recorded++;
    if (allowed) this.recordedAllowed++;
    return true;
  }

  /**
   * What was dropped since the last time this was asked, or undefined if nothing was. The budget
   * itself is not restored: code still running after its call ended spends what is left.
   */
  takeDropped(): DroppedCounts | undefined {
    if (this.droppedAllowed === 0 && this.droppedDenied === 0) return undefined;
    const dropped = { allowed: this.droppedAllowed, denied: this.droppedDenied };
    this.droppedAllowed = 0;
    this.droppedDenied = 0;
    return dropped;
  }

  /** A new call: the whole budget again. Drops not yet taken are forgotten, so take them first. */
  reset(): void {
    this.recorded = 0;
    this.recordedAllowed = 0;
    this.droppedAllowed = 0;
    this.droppedDenied = 0;
  }
}
