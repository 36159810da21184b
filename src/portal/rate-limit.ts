/**
 * Per-address token buckets: `burst` requests at once, refilled at `perMinute`. The table is bounded: when it
 * is full the least recently seen address is forgotten (a forgotten address starts with a full bucket, which
 * errs on serving, never on locking someone out for ever).
 */

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimitOptions {
  readonly perMinute: number;
  readonly burst: number;
  /** Addresses remembered at most (default 100 000). */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.perMs = options.perMinute / 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one token for `key`: 0 when allowed, else the seconds until one is available (for Retry-After). */
  take(key: string): number {
    const now = this.now();
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-inserted below: Map order is recency order
      b.tokens = Math.min(this.options.burst, b.tokens + (now - b.at) * this.perMs);
      b.at = now;
    } else {
      b = { tokens: this.options.burst, at: now };
      if (this.buckets.size >= this.maxEntries) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
    }
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  get size(): number {
    return this.buckets.size;
  }
}
