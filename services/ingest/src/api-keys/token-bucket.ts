/**
 * A token bucket per API key: `burst` requests at once, refilled at
 * `ratePerSecond`. In memory per instance (documented: the limit applies
 * per ingest instance), time passed in so it is tested on a fake clock.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes a token; returns 0 when allowed, else the seconds to wait (Retry-After). */
  take(key: string, limit: { ratePerSecond: number; burst: number }, nowMs: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: nowMs };
    const refilled = Math.min(limit.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * limit.ratePerSecond);
    if (refilled >= 1) {
      this.buckets.set(key, { tokens: refilled - 1, at: nowMs });
      return 0;
    }
    this.buckets.set(key, { tokens: refilled, at: nowMs });
    return Math.max(1, Math.ceil((1 - refilled) / limit.ratePerSecond));
  }
}
