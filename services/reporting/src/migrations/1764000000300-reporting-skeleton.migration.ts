import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportingSkeleton1764000000300 implements MigrationInterface {
  name = 'ReportingSkeleton1764000000300';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reporting.lead_rows (lead_id text PRIMARY KEY, row jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE reporting.lead_rows');
  }
}
