import { retryDelayMs } from './retry-backoff.util';
import { signWebhook, verifyWebhook } from './webhook-signature.util';

describe('signed webhook', () => {
  const secret = 'a-secret-of-16+chars';

  it('signs timestamp and body so the receiver can verify both', () => {
    const sig = signWebhook(secret, 1_700_000_000, '{"a":1}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, 1_700_000_000, '{"a":1}', sig, 1_700_000_010)).toBe(true);
    expect(verifyWebhook(secret, 1_700_000_000, '{"a":2}', sig, 1_700_000_010)).toBe(false);
    expect(verifyWebhook('another-secret-16chars', 1_700_000_000, '{"a":1}', sig, 1_700_000_010)).toBe(false);
  });

  it('rejects a replay outside the tolerance window', () => {
    const sig = signWebhook(secret, 1_700_000_000, 'x');
    expect(verifyWebhook(secret, 1_700_000_000, 'x', sig, 1_700_000_000 + 301)).toBe(false);
  });
});

describe('retry backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, { baseMs: 1000, maxMs: 5000 }))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
