// Verifies a delivery of the lead SLA platform's signed webhook.
// Node.js, no dependencies. Call it with the RAW request body (the exact
// bytes received, before any JSON parsing) and the request headers.
const { createHmac, timingSafeEqual } = require('node:crypto');

const TOLERANCE_SECONDS = 300; // the platform's clock and yours may differ by at most this

/**
 * @param {object} o
 * @param {string[]} o.secrets  the secret(s) you hold; during a rotation, both the new and the old
 * @param {Record<string, string | string[] | undefined>} o.headers  lower-cased header names (as Node gives them)
 * @param {string | Buffer} o.rawBody
 * @param {number} [o.nowSeconds]
 * @returns {{ ok: true, deliveryId: string } | { ok: false, reason: string }}
 */
function verifyLeadSlaWebhook({ secrets, headers, rawBody, nowSeconds = Math.floor(Date.now() / 1000) }) {
  const timestamp = Number(headers['x-leadsla-timestamp']);
  const header = String(headers['x-leadsla-signature'] ?? '');
  if (!Number.isInteger(timestamp)) return { ok: false, reason: 'missing or malformed X-LeadSla-Timestamp' };
  if (Math.abs(nowSeconds - timestamp) > TOLERANCE_SECONDS) return { ok: false, reason: 'timestamp outside the tolerance (a replay, or a clock far off)' };
  const given = header.split(',').map((s) => Buffer.from(s.trim()));
  for (const secret of secrets) {
    const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
    const expected = Buffer.from(`sha256=${mac}`);
    if (given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))) {
      return { ok: true, deliveryId: String(headers['x-leadsla-delivery']) };
    }
  }
  return { ok: false, reason: 'no signature matches a secret you hold' };
}

module.exports = { verifyLeadSlaWebhook, TOLERANCE_SECONDS };
