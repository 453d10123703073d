import { performance } from 'node:perf_hooks';

/** Milliseconds on a clock that only moves forward (never the wall clock). */
export type MonotonicClock = () => number;

export const monotonicNow: MonotonicClock = () => performance.now();

export interface BucketLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * Token buckets by key (an API key id, a client address): `burst` requests
 * at once, refilled at `ratePerSecond`. In memory per instance (documented:
 * the limit applies per ingest instance). Time comes from a monotonic clock,
 * so an NTP or operator step of the wall clock never empties a bucket (a
 * −1 h step on the wall clock would otherwise lock every key out for an hour).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly now: MonotonicClock = monotonicNow,
    /** Buckets kept at most; the least recently used is forgotten (a full bucket is the same as none). */
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes a token; returns 0 when allowed, else the seconds to wait (Retry-After). */
  take(key: string, limit: BucketLimit): number {
    const tokens = this.tokensOf(key, limit);
    if (tokens >= 1) {
      this.store(key, tokens - 1);
      return 0;
    }
    this.store(key, tokens);
    return this.retryAfter(tokens, limit);
  }

  /** Seconds to wait before a token is available (0: one is), without taking it. */
  peek(key: string, limit: BucketLimit): number {
    const tokens = this.tokensOf(key, limit);
    return tokens >= 1 ? 0 : this.retryAfter(tokens, limit);
  }

  private tokensOf(key: string, limit: BucketLimit): number {
    const now = this.now();
    const bucket = this.buckets.get(key);
    if (!bucket) return limit.burst;
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    return Math.min(limit.burst, bucket.tokens + elapsed * limit.ratePerSecond);
  }

  private store(key: string, tokens: number): void {
    this.buckets.delete(key);
    this.buckets.set(key, { tokens, at: this.now() });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }

  private retryAfter(tokens: number, limit: BucketLimit): number {
    return Math.max(1, Math.ceil((1 - tokens) / limit.ratePerSecond));
  }
}
