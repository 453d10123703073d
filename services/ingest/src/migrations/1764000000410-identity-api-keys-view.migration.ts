import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every service honours the API keys ingest issues (issue #12) without
 * reading ingest's schema: ingest publishes this read-only view in the
 * `identity` schema — key id, hash, scopes, revocation, no names or rate
 * limits — and a service role is granted SELECT on it alone.
 */
export class IdentityApiKeysView1764000000410 implements MigrationInterface {
  name = 'IdentityApiKeysView1764000000410';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS identity`);
    await q.query(`CREATE VIEW identity.api_keys AS SELECT id, key_hash, scopes, revoked_at FROM ingest.api_keys`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW identity.api_keys`);
  }
}
