import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policy as events, in each service's messaging tables (docs/policy.md):
 * - consumer_offsets.policy_version: the policy version in force on the
 *   partition at the stored offset (null: no PolicyPublished yet, the
 *   bootstrap file applies), written in the transaction that moves the offset;
 * - policy_documents: every version this service has met on the log;
 * - outbox.partition: an explicit partition (a PolicyPublished copy goes to
 *   every partition; other events are placed by their key).
 */
export function policyLogMigration(schema: string, timestamp: number): new () => MigrationInterface {
  const name = `PolicyLog${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`ALTER TABLE "${schema}".consumer_offsets ADD COLUMN policy_version text`);
      await q.query(`ALTER TABLE "${schema}".outbox ADD COLUMN partition int`);
      await q.query(`CREATE TABLE "${schema}".policy_documents (
        version text PRIMARY KEY, document jsonb NOT NULL, published_at timestamptz NOT NULL,
        published_by jsonb NOT NULL, reason text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE "${schema}".policy_documents`);
      await q.query(`ALTER TABLE "${schema}".outbox DROP COLUMN partition`);
      await q.query(`ALTER TABLE "${schema}".consumer_offsets DROP COLUMN policy_version`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
