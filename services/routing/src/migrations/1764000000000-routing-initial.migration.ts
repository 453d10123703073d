import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing's state (DESIGN.md §5): reps, pool pointers, leads with their
 * owner history and decision log, learned account owners, the unassigned
 * queue and suppressed contacts. Tables only: every rule lives in the
 * TypeScript deciders, every statement in RoutingStateRepository.
 */
export class RoutingInitial1764000000000 implements MigrationInterface {
  name = 'RoutingInitial1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE routing.reps (
      rep_id text PRIMARY KEY,
      available boolean NOT NULL DEFAULT true,
      pto jsonb NOT NULL DEFAULT '[]',
      shift_override jsonb,
      in_rotation boolean NOT NULL DEFAULT true,
      open_awaiting_first_touch int NOT NULL DEFAULT 0,
      misses jsonb NOT NULL DEFAULT '[]',
      -- The last manager reinstatement: misses breached up to it are cleared, whenever they are folded.
      misses_cleared_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE routing.pools (
      pool_id text PRIMARY KEY,
      last_assigned_rep_id text,
      -- The LeadAssigned that set the pointer and its cause: only a pick decided later moves it.
      last_assigned_at timestamptz,
      last_assigned_event_id text,
      last_assigned_cause_id text,
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
      -- Every decision about the lead, oldest first (the why endpoint); kept on the row so a decision is one write.
      decisions jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE INDEX leads_contact_key_idx ON routing.leads (contact_key)');
    await q.query(`CREATE TABLE routing.account_owners (
      account_domain text PRIMARY KEY,
      rep_id text NOT NULL,
      -- The assignment it was learned from: the earliest one wins.
      learned_at timestamptz NOT NULL,
      event_id text NOT NULL,
      cause_id text NOT NULL)`);
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
      -- When the suppressing fact occurred: the earliest suppression wins.
      suppressed_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE routing.reps, routing.pools, routing.leads,
      routing.account_owners, routing.unassigned_queue, routing.suppressed_contacts`);
  }
}
