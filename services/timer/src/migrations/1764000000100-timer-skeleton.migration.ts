import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TimerSkeleton1764000000100 implements MigrationInterface {
  name = 'TimerSkeleton1764000000100';
  async up(q: QueryRunner): Promise<void> {
    // Deadlines are the truth (DESIGN.md §4); only the next minute is held in memory.
    await q.query(`CREATE TABLE timer.deadlines (
      id text PRIMARY KEY, lead_id text NOT NULL, partition int NOT NULL, clock text NOT NULL,
      kind text NOT NULL, step int NOT NULL DEFAULT 0, due_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending', payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), fired_at timestamptz, cause_event_id text NOT NULL)`);
    await q.query(`CREATE INDEX deadlines_pending_due ON timer.deadlines (partition, due_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deadlines_lead ON timer.deadlines (lead_id) WHERE status = 'pending'`);
    await q.query(`CREATE TABLE timer.lead_clocks (
      lead_id text PRIMARY KEY, lead jsonb, owner_rep_id text, team_id text, assigned_at timestamptz, first_touch_at timestamptz)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE timer.lead_clocks, timer.deadlines');
  }
}
