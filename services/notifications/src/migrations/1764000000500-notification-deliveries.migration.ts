import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable deliveries: one row per (event, channel, recipient) — the unique
 * key that makes a redelivered or re-published event notify nobody twice —
 * retried with backoff by the in-service worker; a delivery that keeps
 * failing becomes `dead` with a record in dead_letters.
 */
export class NotificationDeliveries1764000000500 implements MigrationInterface {
  name = 'NotificationDeliveries1764000000500';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notifications.deliveries (
      id bigserial PRIMARY KEY, delivery_id uuid NOT NULL UNIQUE,
      event_id uuid NOT NULL, event_type text NOT NULL, lead_id text,
      channel text NOT NULL, recipient text NOT NULL, role text NOT NULL, payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
      attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL, locked_until timestamptz,
      last_error text, created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz,
      UNIQUE (event_id, channel, recipient))`);
    await q.query(`CREATE INDEX deliveries_due ON notifications.deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE TABLE notifications.dead_letters (
      delivery_id uuid PRIMARY KEY, event_id uuid NOT NULL, event_type text NOT NULL, lead_id text,
      channel text NOT NULL, recipient text NOT NULL, attempts int NOT NULL, last_error text,
      payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications.dead_letters, notifications.deliveries');
  }
}
