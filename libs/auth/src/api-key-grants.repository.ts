import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface ApiKeyGrant {
  readonly id: string;
  readonly scopes: readonly string[];
}

/**
 * API keys as every service sees them: the read-only view identity.api_keys
 * that ingest (which issues and revokes keys) publishes over its own table,
 * so no service reads ingest's schema. Only SHA-256 hashes are stored.
 */
export class ApiKeyGrantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findActive(key: string): Promise<ApiKeyGrant | null> {
    try {
      const rows: Array<{ id: string; scopes: string[] }> = await this.dataSource.query(
        `SELECT id, scopes FROM identity.api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
        [hashApiKey(key)],
      );
      return rows[0] ? { id: rows[0].id, scopes: rows[0].scopes } : null;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // undefined table or schema, or no privilege: a deployment step is missing, not a bad key.
      if (code === '42P01' || code === '3F000' || code === '42501') throw new ApiKeysUnavailableError((error as Error).message);
      throw error;
    }
  }
}

export class ApiKeysUnavailableError extends Error {
  constructor(cause: string) {
    super(`API keys cannot be checked (${cause}): run ingest's migrations (they create the view identity.api_keys) and grant this service's database role USAGE on schema identity and SELECT on identity.api_keys (docs/security.md)`);
    this.name = 'ApiKeysUnavailableError';
  }
}

/**
 * The hash ingest stores and every service looks keys up by. Keys are 32
 * random bytes, so a plain SHA-256 is enough: there is nothing to
 * brute-force that a salt or a slow hash would protect (unlike passwords),
 * and lookup by hash stays one indexed query.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
