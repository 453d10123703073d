import { createHash } from 'node:crypto';

// Namespace for the platform's name-based (RFC 4122 v5) event ids.
const NAMESPACE = Buffer.from('6f1d3c0a9b8e4f2a8c7d5e4b3a291807', 'hex');

/**
 * A deterministic UUID (v5 layout, SHA-1) from the parts that identify an
 * effect — typically the causing event id and the step that produced it —
 * so a re-run or relay resend yields the same id and is recognised downstream.
 */
export function deterministicId(...parts: readonly string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u001f')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
