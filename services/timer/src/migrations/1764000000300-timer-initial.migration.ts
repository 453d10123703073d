import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timer's tables (one initial migration; `schema` so a replay or a test
 * can create them in a schema of its own):
 * - lead_timers: one JSON row per lead, the decider's LeadTimerState;
 * - deadlines: the pending deadlines derived from those states (DESIGN.md §4:
 *   rows are the truth, only the next minute is held in memory). `partition`
 *   is the lead's partition of lead-events.v1 (its owner fires the row);
 *   `trace_context` the W3C trace context of the event that started the
 *   clock, the headers of what the row fires.
 */
export function timerTablesMigration(schema: string, timestamp: number): new () => MigrationInterface {
  const name = `TimerInitial${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE TABLE "${schema}".lead_timers (
        lead_id text PRIMARY KEY, state jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
      await q.query(`CREATE TABLE "${schema}".deadlines (
        id text PRIMARY KEY, lead_id text NOT NULL, partition int NOT NULL, clock text NOT NULL,
        kind text NOT NULL, step int NOT NULL DEFAULT 0, due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending', payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(), fired_at timestamptz, cause_event_id text NOT NULL,
        trace_context jsonb NOT NULL DEFAULT '{}')`);
      // The refill: an owned partition's pending rows in a due window.
      await q.query(`CREATE INDEX deadlines_pending_due ON "${schema}".deadlines (partition, due_at) WHERE status = 'pending'`);
      // The restart/orphan refill: overdue rows of any partition.
      await q.query(`CREATE INDEX deadlines_pending_due_any ON "${schema}".deadlines (due_at) WHERE status = 'pending'`);
      await q.query(`CREATE INDEX deadlines_lead ON "${schema}".deadlines (lead_id) WHERE status = 'pending'`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE "${schema}".deadlines, "${schema}".lead_timers`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
