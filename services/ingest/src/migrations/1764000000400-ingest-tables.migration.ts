import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys (only a SHA-256 of the key is stored), idempotency records (one
 * per key and Idempotency-Key, with the response to replay) and the log of
 * accepted events (for the read scope).
 */
export class IngestTables1764000000400 implements MigrationInterface {
  name = 'IngestTables1764000000400';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ingest.api_keys (
      id text PRIMARY KEY, name text NOT NULL, key_hash text NOT NULL UNIQUE, scopes text[] NOT NULL,
      rate_per_second double precision, burst int,
      created_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz)`);
    await q.query(`CREATE TABLE ingest.idempotency_keys (
      api_key_id text NOT NULL, idempotency_key text NOT NULL, request_hash text NOT NULL,
      status int NOT NULL, response jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (api_key_id, idempotency_key))`);
    await q.query(`CREATE INDEX ON ingest.idempotency_keys (created_at)`);
    await q.query(`CREATE TABLE ingest.accepted_events (
      event_id uuid PRIMARY KEY, type text NOT NULL, lead_id text, api_key_id text NOT NULL,
      trace_id text, accepted_at timestamptz NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ingest.accepted_events, ingest.idempotency_keys, ingest.api_keys');
  }
}
