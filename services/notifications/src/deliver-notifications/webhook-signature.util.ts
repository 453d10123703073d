import { createHmac, timingSafeEqual } from 'node:crypto';

export const SignatureHeaders = {
  timestamp: 'x-leadsla-timestamp',
  signature: 'x-leadsla-signature',
  delivery: 'x-leadsla-delivery',
} as const;

/** How old (or how far ahead) a timestamp a receiver should accept; told to receivers in docs/operations.md. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * HMAC-SHA256 over `<unix seconds>.<raw body>`, as `sha256=<hex>`. The
 * timestamp is signed so a receiver can reject replays older than a few
 * minutes (the scheme Stripe and Slack use).
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/**
 * The signature header: one signature per secret in force, current first,
 * comma-separated. During a rotation both the new and the previous secret
 * sign, so a receiver holding either verifies the delivery.
 */
export function webhookSignatureHeader(secrets: readonly string[], timestampSeconds: number, body: string): string {
  if (secrets.length === 0) throw new Error('a signed webhook needs at least one secret (NOTIFY_WEBHOOK_SECRET)');
  return secrets.map((s) => signWebhook(s, timestampSeconds, body)).join(', ');
}

/** What a receiver does (docs/examples/verify-lead-sla-webhook.js is the same check for receivers to copy). */
export function verifyWebhook(
  secrets: string | readonly string[],
  timestampSeconds: number,
  body: string,
  signatureHeader: string,
  nowSeconds: number,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): boolean {
  if (!Number.isFinite(timestampSeconds) || Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) return false;
  const given = signatureHeader.split(',').map((s) => Buffer.from(s.trim()));
  return (typeof secrets === 'string' ? [secrets] : secrets).some((secret) => {
    const expected = Buffer.from(signWebhook(secret, timestampSeconds, body));
    return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected));
  });
}
