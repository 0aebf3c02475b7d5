// A fixed-size log-linear histogram of durations in nanoseconds: each power of two is split into
// SUB_BUCKETS equal buckets, so a percentile read from it is within 1/SUB_BUCKETS of the true
// value, whatever the number of samples. Recording is a few integer operations and never allocates.

const SUB_BITS = 3;
const SUB_BUCKETS = 1 << SUB_BITS;
/** Powers of two up to 2^47 ns (about 39 hours). */
const MAX_EXPONENT = 47;
const BUCKETS = (MAX_EXPONENT + 1) * SUB_BUCKETS;
const TWO_32 = 2 ** 32;

function bucketOf(ns: number): number {
  if (!(ns >= 1)) return 0;
  let exponent: number;
  let mantissa: number;
  if (ns >= SUB_BUCKETS && ns < TWO_32) {
    // Bucket bounds here are whole numbers, so dropping the fraction never changes the bucket.
    const value = ns >>> 0;
    exponent = 31 - Math.clz32(value);
    mantissa = (value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
  } else {
    exponent = Math.min(MAX_EXPONENT, Math.floor(Math.log2(ns)));
    mantissa = Math.floor(ns / 2 ** (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
  }
  return exponent * SUB_BUCKETS + mantissa;
}

/** The smallest value a bucket holds. */
function bucketLow(index: number): number {
  const exponent = Math.floor(index / SUB_BUCKETS);
  const mantissa = index % SUB_BUCKETS;
  return 2 ** exponent * (1 + mantissa / SUB_BUCKETS);
}

export class DurationHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;
  private maxSeen = 0;

  record(ns: number): void {
    this.counts[bucketOf(ns)]! += 1;
    this.total += 1;
    if (ns > this.maxSeen) this.maxSeen = ns;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxSeen;
  }

  /**
   * The duration below which a fraction `q` (0–1) of the samples fall: the middle of the bucket
   * holding the sample of that rank, capped at the largest sample. 0 when empty.
   */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.counts[index]!;
      if (seen >= rank) {
        const low = bucketLow(index);
        const high = bucketLow(index + 1);
        return Math.min((low + high) / 2, this.maxSeen);
      }
    }
    return this.maxSeen;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.maxSeen = 0;
  }
}

/** How far a quantile read from the histogram may be from the exact one, relative to it. */
export const HISTOGRAM_RELATIVE_ERROR = 1 / SUB_BUCKETS;
