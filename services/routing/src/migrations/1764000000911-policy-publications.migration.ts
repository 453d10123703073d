import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The policy versions routing has published (routing is the one publisher):
 * written in the transaction that puts the PolicyPublished copies in the
 * outbox, so it is what the log holds or is about to. The start-up check
 * ("does the file differ from the newest version?") and the dry-run's
 * "current version" read it. Not routing state: the log holds the events.
 */
export class PolicyPublications1764000000911 implements MigrationInterface {
  name = 'PolicyPublications1764000000911';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE routing.policy_publications (
      version text PRIMARY KEY,
      seq bigserial NOT NULL,
      document jsonb NOT NULL,
      published_at timestamptz NOT NULL,
      published_by jsonb NOT NULL,
      reason text NOT NULL,
      partitions int NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routing.policy_publications');
  }
}
