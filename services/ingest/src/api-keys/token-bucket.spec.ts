import { TokenBuckets } from './token-bucket';

describe('per-key token bucket', () => {
  const limit = { ratePerSecond: 2, burst: 3 };

  it('allows a burst, then asks the client to retry after the refill time', () => {
    const buckets = new TokenBuckets();
    expect([0, 1, 2].map(() => buckets.take('k', limit, 1000))).toEqual([0, 0, 0]);
    expect(buckets.take('k', limit, 1000)).toBe(1);
  });

  it('refills at the configured rate and keeps keys apart', () => {
    const buckets = new TokenBuckets();
    for (let i = 0; i < 3; i++) buckets.take('k', limit, 0);
    expect(buckets.take('other', limit, 0)).toBe(0);
    expect(buckets.take('k', limit, 500)).toBe(0);
    expect(buckets.take('k', limit, 500)).toBeGreaterThan(0);
  });
});
