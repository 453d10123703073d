import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DispositionSkeleton1764000000200 implements MigrationInterface {
  name = 'DispositionSkeleton1764000000200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE disposition.dispositions (
      event_id text PRIMARY KEY, lead_id text NOT NULL, rep_id text NOT NULL, code text NOT NULL,
      reason text, next_step text, occurred_at timestamptz NOT NULL)`);
    await q.query('CREATE INDEX dispositions_lead ON disposition.dispositions (lead_id)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE disposition.dispositions');
  }
}
