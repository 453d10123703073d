import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing's scheduled wake-ups (a coverage window opening, a PTO ending, a
 * shift override starting while leads wait in the unassigned queue): rows
 * for the shared scheduler, fired as RoutingWakeUp events through the
 * outbox. A schedule, not routing state: the events it fires are in the log.
 */
export class RoutingWakeUps1764000000100 implements MigrationInterface {
  name = 'RoutingWakeUps1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE routing.wake_ups (
      -- reason:subject:dueAt, so the same wake-up computed by many batches is one row.
      wake_up_id text PRIMARY KEY,
      due_at timestamptz NOT NULL,
      data jsonb NOT NULL,
      -- The trace context of the batch that scheduled it: the wake-up continues that trace.
      trace jsonb NOT NULL DEFAULT '{}',
      fired_at timestamptz)`);
    await q.query('CREATE INDEX wake_ups_pending_idx ON routing.wake_ups (due_at) WHERE fired_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE routing.wake_ups');
  }
}
