import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-lead timer state (the deciders' LeadTimerState, one JSON row per lead)
 * replaces the skeleton's lead_clocks. Deadline rows keep their table: the
 * payload now holds the decider's DeadlineRow, and `partition` (the lead's
 * partition of lead-events.v1) lets instances split the firing work.
 */
export class TimerState1764000000200 implements MigrationInterface {
  name = 'TimerState1764000000200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE timer.lead_timers (
      lead_id text PRIMARY KEY, state jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('DROP TABLE timer.lead_clocks');
    // The restart/orphan refill looks for overdue rows of any partition.
    await q.query(`CREATE INDEX deadlines_pending_due_any ON timer.deadlines (due_at) WHERE status = 'pending'`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX timer.deadlines_pending_due_any');
    await q.query(`CREATE TABLE timer.lead_clocks (
      lead_id text PRIMARY KEY, lead jsonb, owner_rep_id text, team_id text, assigned_at timestamptz, first_touch_at timestamptz)`);
    await q.query('DROP TABLE timer.lead_timers');
  }
}
