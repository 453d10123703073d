import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RoutingSkeleton1764000000000 implements MigrationInterface {
  name = 'RoutingSkeleton1764000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE routing.pool_rotation (pool_id text PRIMARY KEY, next_index int NOT NULL DEFAULT 0)`);
    await q.query(`CREATE TABLE routing.lead_owner (
      lead_id text PRIMARY KEY, rep_id text NOT NULL, pool_id text NOT NULL, rule_id text,
      assigned_at timestamptz NOT NULL, decision jsonb NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routing.lead_owner, routing.pool_rotation');
  }
}
