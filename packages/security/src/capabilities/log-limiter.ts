// ctx.log is rate-limited per plugin with a token bucket: a burst of `burst` messages, then
// `perSecond`. Dropped messages are counted and reported in the next message that gets through.
export class LogLimiter {
  private tokens: number;
  private last = Date.now();
  private dropped = 0;

  constructor(
    private readonly perSecond = 50,
    private readonly burst = 200,
  ) {
    this.tokens = burst;
  }

  /** Whether a message may pass now; when it may, how many were dropped before it. */
  take(): { allowed: boolean; droppedBefore: number } {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) {
      this.dropped += 1;
      return { allowed: false, droppedBefore: 0 };
    }
    this.tokens -= 1;
    const droppedBefore = this.dropped;
    this.dropped = 0;
    return { allowed: true, droppedBefore };
  }
}
