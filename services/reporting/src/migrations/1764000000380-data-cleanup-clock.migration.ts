import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lead row's status of the `data_cleanup` clock (time with the
 * data-cleanup owner after a bounce), a column like every other clock's, so
 * scorecards count its compliance. The BI views are frozen contracts and do
 * not gain it (a later view version can).
 */
export class DataCleanupClock1764000000380 implements MigrationInterface {
  name = 'DataCleanupClock1764000000380';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE reporting.lead_rows ADD COLUMN sla_data_cleanup_status text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE reporting.lead_rows DROP COLUMN sla_data_cleanup_status');
  }
}
