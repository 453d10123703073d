import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The disposition service's own state (DESIGN.md §1): one row per contact
 * (the deciders' ContactState as JSON), the leadId → contactKey index for
 * events that carry only a leadId, and the durable re-qualification due
 * times the scheduler loads the near future from.
 */
export class DispositionContactState1764000000210 implements MigrationInterface {
  name = 'DispositionContactState1764000000210';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE disposition.contacts (
      contact_key text PRIMARY KEY,
      state jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // Filled from LeadCreated; every later event of a lead finds its contact here.
    await q.query(`CREATE TABLE disposition.lead_contacts (
      lead_id text PRIMARY KEY,
      contact_key text NOT NULL REFERENCES disposition.contacts (contact_key))`);
    await q.query('CREATE INDEX lead_contacts_contact ON disposition.lead_contacts (contact_key)');
    // One row per recycle with a time trigger, keyed by the LeadRecycled id (the cause of the time LeadRequalified).
    await q.query(`CREATE TABLE disposition.requalify_due (
      recycled_event_id uuid PRIMARY KEY,
      contact_key text NOT NULL REFERENCES disposition.contacts (contact_key),
      lead_id text NOT NULL,
      requalify_at timestamptz NOT NULL,
      correlation_id text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
      created_at timestamptz NOT NULL DEFAULT now(),
      settled_at timestamptz)`);
    // The scheduler's refill query: pending rows due before the horizon, earliest first.
    await q.query(`CREATE INDEX requalify_due_pending ON disposition.requalify_due (requalify_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX requalify_due_contact ON disposition.requalify_due (contact_key) WHERE status = 'pending'`);
    // The walking skeleton's log of raw dispositions: the contact state and the events on the log replace it.
    await q.query('DROP TABLE disposition.dispositions');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE disposition.dispositions (
      event_id text PRIMARY KEY, lead_id text NOT NULL, rep_id text NOT NULL, code text NOT NULL,
      reason text, next_step text, occurred_at timestamptz NOT NULL)`);
    await q.query('CREATE INDEX dispositions_lead ON disposition.dispositions (lead_id)');
    await q.query('DROP TABLE disposition.requalify_due, disposition.lead_contacts, disposition.contacts');
  }
}
