import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The disposition service's own state (DESIGN.md §1) in `schema`: one row
 * per contact (the deciders' ContactState as JSON), the leadId → contactKey
 * index for events that carry only a leadId, the durable re-qualification
 * due times the scheduler loads the near future from, and the event ids of
 * HTTP commands sent with an Idempotency-Key.
 */
export function dispositionTablesMigration(schema: string, timestamp: number): new () => MigrationInterface {
  const name = `DispositionTables${timestamp}`;
  const s = `"${schema}"`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE TABLE ${s}.contacts (
        contact_key text PRIMARY KEY,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
      // Filled from LeadCreated; every later event of a lead finds its contact here.
      await q.query(`CREATE TABLE ${s}.lead_contacts (
        lead_id text PRIMARY KEY,
        contact_key text NOT NULL REFERENCES ${s}.contacts (contact_key))`);
      await q.query(`CREATE INDEX lead_contacts_contact ON ${s}.lead_contacts (contact_key)`);
      // One row per recycle with a time trigger, keyed by the LeadRecycled id (the cause of the time LeadRequalified).
      await q.query(`CREATE TABLE ${s}.requalify_due (
        recycled_event_id uuid PRIMARY KEY,
        contact_key text NOT NULL REFERENCES ${s}.contacts (contact_key),
        lead_id text NOT NULL,
        requalify_at timestamptz NOT NULL,
        correlation_id text NOT NULL,
        -- The recycle's trace context: the time re-qualification continues its trace.
        trace_context jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz)`);
      // The scheduler's refill query: pending rows due before the horizon, earliest first.
      await q.query(`CREATE INDEX requalify_due_pending ON ${s}.requalify_due (requalify_at) WHERE status = 'pending'`);
      await q.query(`CREATE INDEX requalify_due_contact ON ${s}.requalify_due (contact_key) WHERE status = 'pending'`);
      // A retried request finds its event here and publishes nothing.
      await q.query(`CREATE TABLE ${s}.http_commands (
        event_id uuid PRIMARY KEY, type text NOT NULL, lead_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE ${s}.http_commands, ${s}.requalify_due, ${s}.lead_contacts, ${s}.contacts`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
