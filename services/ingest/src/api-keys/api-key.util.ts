import { randomBytes } from 'node:crypto';
import { hashApiKey } from '@lead-sla/auth';

/** `backfill` lets a key send facts older than INGEST_MAX_BACKDATE_HOURS (it does not imply `ingest`). */
export const Scopes = ['ingest', 'read', 'admin', 'backfill'] as const;
export type Scope = (typeof Scopes)[number];

export function isScope(value: string): value is Scope {
  return (Scopes as readonly string[]).includes(value);
}

/** One hash for every service that checks keys (libs/auth); see there why SHA-256 is enough. */
export { hashApiKey };

/** A new key: `lsk_<id>_<secret>`; the id is shown in listings, the whole key only once. */
export function generateApiKey(): { id: string; key: string } {
  const id = randomBytes(6).toString('hex');
  return { id, key: `lsk_${id}_${randomBytes(32).toString('base64url')}` };
}

/** Reads the key from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const auth = headers['authorization'];
  const value = Array.isArray(auth) ? auth[0] : auth;
  if (value && /^Bearer\s+/i.test(value)) return value.replace(/^Bearer\s+/i, '').trim() || null;
  const x = headers['x-api-key'];
  const key = Array.isArray(x) ? x[0] : x;
  return key?.trim() || null;
}
