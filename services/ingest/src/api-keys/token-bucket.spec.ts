import { TokenBuckets } from './token-bucket';

describe('token buckets', () => {
  const limit = { ratePerSecond: 2, burst: 3 };
  const clockAt = (start: number) => {
    const clock = { ms: start, now: () => clock.ms };
    return clock;
  };

  it('allows a burst, then asks the client to retry after the refill time', () => {
    const clock = clockAt(1000);
    const buckets = new TokenBuckets(clock.now);
    expect([0, 1, 2].map(() => buckets.take('k', limit))).toEqual([0, 0, 0]);
    expect(buckets.take('k', limit)).toBe(1);
  });

  it('refills at the configured rate and keeps keys apart', () => {
    const clock = clockAt(0);
    const buckets = new TokenBuckets(clock.now);
    for (let i = 0; i < 3; i++) buckets.take('k', limit);
    expect(buckets.take('other', limit)).toBe(0);
    clock.ms = 500;
    expect(buckets.take('k', limit)).toBe(0);
    expect(buckets.take('k', limit)).toBeGreaterThan(0);
  });

  it('peeks without taking a token', () => {
    const buckets = new TokenBuckets(clockAt(0).now);
    expect(buckets.peek('k', { ratePerSecond: 1, burst: 1 })).toBe(0);
    expect(buckets.take('k', { ratePerSecond: 1, burst: 1 })).toBe(0);
    expect(buckets.peek('k', { ratePerSecond: 1, burst: 1 })).toBe(1);
  });

  it('does not lock a key out when the wall clock steps back an hour (it reads only the monotonic clock)', () => {
    jest.useFakeTimers({ doNotFake: ['performance'], now: new Date('2026-11-30T12:00:00Z') });
    try {
      const monotonic = clockAt(5_000);
      const buckets = new TokenBuckets(monotonic.now);
      for (let i = 0; i < 3; i++) expect(buckets.take('k', limit)).toBe(0);
      jest.setSystemTime(new Date('2026-11-30T11:00:00Z'));
      monotonic.ms += 500;
      expect(buckets.take('k', limit)).toBe(0);
      monotonic.ms += 1_000;
      expect([0, 1].map(() => buckets.take('k', limit))).toEqual([0, 0]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('never counts time backwards, even from a clock that did', () => {
    const clock = clockAt(10_000);
    const buckets = new TokenBuckets(clock.now);
    for (let i = 0; i < 3; i++) buckets.take('k', limit);
    clock.ms -= 3_600_000;
    expect(buckets.peek('k', limit)).toBe(1);
  });

  it('forgets the least recently used bucket beyond its size', () => {
    const buckets = new TokenBuckets(clockAt(0).now, 2);
    const one = { ratePerSecond: 1, burst: 1 };
    buckets.take('a', one);
    buckets.take('b', one);
    buckets.take('c', one);
    expect(buckets.peek('a', one)).toBe(0);
    expect(buckets.peek('c', one)).toBe(1);
  });
});
