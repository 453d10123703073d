import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The digest schedule: one row per digest per period (a team's daily
 * missed-SLA report for a local date, its weekly fallback review for an ISO
 * week, an admin's company-wide weekly review), due at its local time;
 * `team_id` null: every team, `recipient_id` the manager or admin. The key makes planning
 * idempotent; firing marks the row fired in the transaction that stores its
 * deliveries, so a digest fires once, across restarts and instances.
 */
export class Digests1764000000520 implements MigrationInterface {
  name = 'Digests1764000000520';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notifications.digests (
      id bigserial PRIMARY KEY, digest_key text NOT NULL UNIQUE, kind text NOT NULL CHECK (kind IN ('missed-sla', 'fallback-review')),
      team_id text, recipient_id text NOT NULL, period text NOT NULL, due_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired')),
      attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL, locked_until timestamptz, last_error text,
      created_at timestamptz NOT NULL DEFAULT now(), fired_at timestamptz)`);
    await q.query(`CREATE INDEX digests_due ON notifications.digests (next_attempt_at) WHERE status = 'pending'`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications.digests');
  }
}
