import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The schema the dead-letter command keeps its records in (not a service's: re-drives span services). */
export const OPERATIONS_SCHEMA = 'operations';

/**
 * dead_letter_redrives: one row per re-driven dead letter, keyed by where it
 * sits in the dead-letter topic. A row is 'claimed' before the publish and
 * 'published' after it, so no dead letter is ever published twice.
 */
export function deadLetterRedrivesMigration(schema: string = OPERATIONS_SCHEMA, timestamp = 1764500000000): new () => MigrationInterface {
  const name = `DeadLetterRedrives${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await q.query(`CREATE TABLE "${schema}".dead_letter_redrives (
        dlq_topic text NOT NULL, dlq_partition int NOT NULL, dlq_offset bigint NOT NULL,
        original_topic text NOT NULL, event_id text,
        state text NOT NULL CHECK (state IN ('claimed', 'published')),
        claimed_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz, published_partition int, published_offset bigint,
        PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset))`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE "${schema}".dead_letter_redrives`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
