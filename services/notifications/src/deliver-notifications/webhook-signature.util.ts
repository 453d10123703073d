import { createHmac, timingSafeEqual } from 'node:crypto';

export const SignatureHeaders = {
  timestamp: 'x-leadsla-timestamp',
  signature: 'x-leadsla-signature',
  delivery: 'x-leadsla-delivery',
} as const;

/**
 * HMAC-SHA256 over `<unix seconds>.<raw body>`, sent as `sha256=<hex>`.
 * The timestamp is signed so a receiver can reject replays older than a
 * few minutes (the scheme Stripe and Slack use).
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** What a receiver does (documented in docs/operations.md; used by the tests). */
export function verifyWebhook(secret: string, timestampSeconds: number, body: string, signature: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestampSeconds, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
