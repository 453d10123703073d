import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing's real state (DESIGN.md §5), replacing the walking skeleton's
 * pool_rotation / lead_owner tables: reps, pool pointers, leads with their
 * owner history, learned account owners, the unassigned queue, suppressed
 * contacts and a log of every decision (for "why was lead X assigned to Y").
 */
export class RoutingState1764000000100 implements MigrationInterface {
  name = 'RoutingState1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE routing.reps (
      rep_id text PRIMARY KEY,
      available boolean NOT NULL DEFAULT true,
      pto jsonb NOT NULL DEFAULT '[]',
      shift_override jsonb,
      in_rotation boolean NOT NULL DEFAULT true,
      open_awaiting_first_touch int NOT NULL DEFAULT 0,
      misses jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE routing.pools (
      pool_id text PRIMARY KEY,
      last_assigned_rep_id text,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE routing.leads (
      lead_id text PRIMARY KEY,
      contact_key text NOT NULL,
      account_domain text,
      pool_id text,
      rule_id text,
      owner_rep_id text,
      status text NOT NULL,
      state jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE INDEX leads_contact_key_idx ON routing.leads (contact_key)');
    await q.query(`CREATE TABLE routing.lead_decisions (
      id bigserial PRIMARY KEY,
      lead_id text NOT NULL,
      kind text NOT NULL,
      event_id uuid,
      cause_event_id uuid NOT NULL,
      cause_type text NOT NULL,
      decided_at timestamptz NOT NULL,
      data jsonb NOT NULL)`);
    await q.query('CREATE INDEX lead_decisions_lead_idx ON routing.lead_decisions (lead_id, id)');
    await q.query(`CREATE TABLE routing.account_owners (
      account_domain text PRIMARY KEY,
      rep_id text NOT NULL,
      learned_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE routing.unassigned_queue (
      lead_id text PRIMARY KEY,
      seq bigserial NOT NULL,
      queued_at timestamptz NOT NULL,
      exclude_rep_ids text[] NOT NULL DEFAULT '{}',
      reassignment_cause text)`);
    await q.query(`CREATE TABLE routing.suppressed_contacts (
      contact_key text PRIMARY KEY,
      lead_id text NOT NULL,
      cause text NOT NULL,
      suppressed_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('DROP TABLE routing.lead_owner, routing.pool_rotation');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE routing.reps, routing.pools, routing.leads, routing.lead_decisions,
      routing.account_owners, routing.unassigned_queue, routing.suppressed_contacts`);
    await q.query(`CREATE TABLE routing.pool_rotation (pool_id text PRIMARY KEY, next_index int NOT NULL DEFAULT 0)`);
    await q.query(`CREATE TABLE routing.lead_owner (
      lead_id text PRIMARY KEY, rep_id text NOT NULL, pool_id text NOT NULL, rule_id text,
      assigned_at timestamptz NOT NULL, decision jsonb NOT NULL)`);
  }
}
