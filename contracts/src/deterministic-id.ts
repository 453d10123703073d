import { createHash } from 'node:crypto';

/**
 * Namespace of every id the platform derives (a fixed random UUID), so our
 * ids never collide with v5 ids another system derives from the same names.
 */
export const LEAD_SLA_ID_NAMESPACE = '6f1d3c2a-8b4e-4f6a-9c1d-2e7b5a9f0c31';

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`deterministicId: namespace "${uuid}" is not a UUID`);
  return Buffer.from(hex, 'hex');
}

/**
 * RFC 4122 version-5 UUID (SHA-1 of namespace + name). Emitted events use it
 * so a re-delivery or an outbox resend yields the same eventId and is
 * recognised downstream (DESIGN.md §3).
 */
export function uuidV5(name: string, namespace: string = LEAD_SLA_ID_NAMESPACE): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50; // version 5
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A deterministic id from its parts, e.g. `deterministicId(causingEventId, 'SlaBreached', 0)`. */
export function deterministicId(...parts: readonly (string | number)[]): string {
  // Length-prefix each part so ("a:b","c") and ("a","b:c") never collide.
  return uuidV5(parts.map((p) => `${String(p).length}:${p}`).join('|'));
}
