import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables the messaging backbone keeps in each service's schema:
 * - consumer_offsets: the truth about what was applied (Kafka's commit is a hint);
 * - outbox: events (and dead letters) waiting for the relay to publish;
 * - processed_events: ids of applied events, so a relay resend is recognised.
 */
export function messagingTablesMigration(schema: string, timestamp: number): new () => MigrationInterface {
  const name = `MessagingTables${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await q.query(`CREATE TABLE "${schema}".consumer_offsets (
        group_id text NOT NULL, topic text NOT NULL, partition int NOT NULL,
        next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition))`);
      await q.query(`CREATE TABLE "${schema}".outbox (
        id bigserial PRIMARY KEY, topic text NOT NULL, key text, value bytea NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}', created_at timestamptz NOT NULL DEFAULT now())`);
      await q.query(`CREATE TABLE "${schema}".processed_events (
        event_id uuid PRIMARY KEY, processed_at timestamptz NOT NULL DEFAULT now())`);
      await q.query(`CREATE INDEX ON "${schema}".processed_events (processed_at)`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE "${schema}".processed_events, "${schema}".outbox, "${schema}".consumer_offsets`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
