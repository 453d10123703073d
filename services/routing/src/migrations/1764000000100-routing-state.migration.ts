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
      -- Every decision about the lead, oldest first (the why endpoint); kept on the row so a decision is one write.
      decisions jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE INDEX leads_contact_key_idx ON routing.leads (contact_key)');
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
    // The hot path's statements live in PL/pgSQL functions: their inner plans are cached per connection,
    // where the same SQL sent as text was re-planned on every lead (planning cost more than running it).
    // Once per batch transaction: lock every pool row, then every rep row, each in id order, and load them with the queue.
    await q.query(`CREATE FUNCTION routing.lock_and_load(p_pool_ids text[])
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_known int;
        v_pools jsonb;
        v_reps jsonb;
        v_queue jsonb;
        v_owners jsonb;
      BEGIN
        SELECT count(*) INTO v_known FROM routing.pools WHERE pool_id = ANY(p_pool_ids);
        IF v_known < cardinality(p_pool_ids) THEN
          INSERT INTO routing.pools (pool_id) SELECT unnest(p_pool_ids) ON CONFLICT DO NOTHING;
        END IF;
        SELECT coalesce(jsonb_agg(jsonb_build_object('poolId', p.pool_id, 'lastAssignedRepId', p.last_assigned_rep_id)), '[]') INTO v_pools
          FROM (SELECT pool_id, last_assigned_rep_id FROM routing.pools WHERE pool_id = ANY(p_pool_ids) ORDER BY pool_id FOR UPDATE) p;
        SELECT coalesce(jsonb_agg(jsonb_build_object('repId', r.rep_id, 'available', r.available, 'pto', r.pto, 'shiftOverride', r.shift_override,
                 'inRotation', r.in_rotation, 'openAwaitingFirstTouch', r.open_awaiting_first_touch, 'misses', r.misses)), '[]') INTO v_reps
          FROM (SELECT * FROM routing.reps ORDER BY rep_id FOR UPDATE) r;
        SELECT coalesce(jsonb_agg(jsonb_build_object('lead', l.state, 'queuedAt', q.queued_at, 'excludeRepIds', to_jsonb(q.exclude_rep_ids),
                 'reassignmentCause', q.reassignment_cause) ORDER BY q.seq), '[]') INTO v_queue
          FROM routing.unassigned_queue q JOIN routing.leads l USING (lead_id);
        SELECT coalesce(jsonb_object_agg(a.account_domain, a.rep_id), '{}') INTO v_owners
          FROM routing.account_owners a
         WHERE a.account_domain IN (SELECT l.account_domain FROM routing.unassigned_queue q JOIN routing.leads l USING (lead_id));
        RETURN jsonb_build_object('pools', v_pools, 'reps', v_reps, 'queue', v_queue, 'accountOwners', v_owners);
      END $$`);
    await q.query(`CREATE FUNCTION routing.decision_context(p_lead_id text, p_contact_key text, p_account_domain text, p_need_contact boolean)
      RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
      DECLARE
        v_state jsonb;
        v_key text;
        v_domain text;
        v_same jsonb := '[]';
        v_suppressed boolean := false;
        v_owner text;
      BEGIN
        SELECT l.state INTO v_state FROM routing.leads l WHERE l.lead_id = p_lead_id;
        v_key := coalesce(p_contact_key, v_state->>'contactKey');
        v_domain := coalesce(p_account_domain, v_state->>'accountDomain');
        IF p_need_contact AND v_key IS NOT NULL THEN
          SELECT coalesce(jsonb_agg(jsonb_build_object('leadId', o.lead_id, 'createdAt', o.state->'createdAt', 'ownerRepId', o.owner_rep_id)), '[]')
            INTO v_same FROM routing.leads o WHERE o.contact_key = v_key AND o.lead_id <> p_lead_id;
          v_suppressed := EXISTS (SELECT 1 FROM routing.suppressed_contacts s WHERE s.contact_key = v_key);
        END IF;
        IF v_domain IS NOT NULL THEN
          SELECT a.rep_id INTO v_owner FROM routing.account_owners a WHERE a.account_domain = v_domain;
        END IF;
        RETURN jsonb_build_object('lead', v_state, 'sameContact', v_same, 'suppressed', v_suppressed, 'accountDomain', v_domain, 'accountOwner', v_owner);
      END $$`);
    await q.query(`CREATE FUNCTION routing.apply_decision(p_leads jsonb, p_reps jsonb, p_pools jsonb, p_queue_delete text[], p_queue_add jsonb, p_owners jsonb, p_suppressed jsonb)
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF jsonb_array_length(p_leads) > 0 THEN
          INSERT INTO routing.leads AS l (lead_id, contact_key, account_domain, pool_id, rule_id, owner_rep_id, status, state, decisions, updated_at)
          SELECT x.lead_id, x.contact_key, x.account_domain, x.pool_id, x.rule_id, x.owner_rep_id, x.status, x.state, x.decisions, now()
            FROM jsonb_to_recordset(p_leads)
              AS x(lead_id text, contact_key text, account_domain text, pool_id text, rule_id text, owner_rep_id text, status text, state jsonb, decisions jsonb)
          ON CONFLICT (lead_id) DO UPDATE SET contact_key = EXCLUDED.contact_key, account_domain = EXCLUDED.account_domain, pool_id = EXCLUDED.pool_id,
            rule_id = EXCLUDED.rule_id, owner_rep_id = EXCLUDED.owner_rep_id, status = EXCLUDED.status, state = EXCLUDED.state,
            decisions = l.decisions || EXCLUDED.decisions, updated_at = now();
        END IF;
        IF jsonb_array_length(p_reps) > 0 THEN
          INSERT INTO routing.reps (rep_id, available, pto, shift_override, in_rotation, open_awaiting_first_touch, misses, updated_at)
          SELECT x.rep_id, x.available, x.pto, x.shift_override, x.in_rotation, x.open_awaiting_first_touch, x.misses, now()
            FROM jsonb_to_recordset(p_reps)
              AS x(rep_id text, available boolean, pto jsonb, shift_override jsonb, in_rotation boolean, open_awaiting_first_touch int, misses jsonb)
          ON CONFLICT (rep_id) DO UPDATE SET available = EXCLUDED.available, pto = EXCLUDED.pto, shift_override = EXCLUDED.shift_override,
            in_rotation = EXCLUDED.in_rotation, open_awaiting_first_touch = EXCLUDED.open_awaiting_first_touch, misses = EXCLUDED.misses, updated_at = now();
        END IF;
        IF jsonb_array_length(p_pools) > 0 THEN
          UPDATE routing.pools p SET last_assigned_rep_id = x.rep_id, updated_at = now()
            FROM jsonb_to_recordset(p_pools) AS x(pool_id text, rep_id text) WHERE p.pool_id = x.pool_id;
        END IF;
        IF cardinality(p_queue_delete) > 0 THEN
          DELETE FROM routing.unassigned_queue WHERE lead_id = ANY(p_queue_delete);
        END IF;
        IF jsonb_array_length(p_queue_add) > 0 THEN
          INSERT INTO routing.unassigned_queue (lead_id, queued_at, exclude_rep_ids, reassignment_cause)
          SELECT x.lead_id, x.queued_at, ARRAY(SELECT jsonb_array_elements_text(x.exclude_rep_ids)), x.reassignment_cause
            FROM jsonb_to_recordset(p_queue_add) AS x(lead_id text, queued_at timestamptz, exclude_rep_ids jsonb, reassignment_cause text)
          ON CONFLICT (lead_id) DO UPDATE SET queued_at = EXCLUDED.queued_at, exclude_rep_ids = EXCLUDED.exclude_rep_ids, reassignment_cause = EXCLUDED.reassignment_cause;
        END IF;
        IF jsonb_array_length(p_owners) > 0 THEN
          INSERT INTO routing.account_owners (account_domain, rep_id)
          SELECT x.account_domain, x.rep_id FROM jsonb_to_recordset(p_owners) AS x(account_domain text, rep_id text)
          ON CONFLICT DO NOTHING;
        END IF;
        IF jsonb_array_length(p_suppressed) > 0 THEN
          INSERT INTO routing.suppressed_contacts (contact_key, lead_id, cause)
          SELECT x.contact_key, x.lead_id, x.cause FROM jsonb_to_recordset(p_suppressed) AS x(contact_key text, lead_id text, cause text)
          ON CONFLICT DO NOTHING;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION routing.lock_and_load(text[])');
    await q.query('DROP FUNCTION routing.decision_context(text, text, text, boolean)');
    await q.query('DROP FUNCTION routing.apply_decision(jsonb, jsonb, jsonb, text[], jsonb, jsonb, jsonb)');
    await q.query(`DROP TABLE routing.reps, routing.pools, routing.leads,
      routing.account_owners, routing.unassigned_queue, routing.suppressed_contacts`);
    await q.query(`CREATE TABLE routing.pool_rotation (pool_id text PRIMARY KEY, next_index int NOT NULL DEFAULT 0)`);
    await q.query(`CREATE TABLE routing.lead_owner (
      lead_id text PRIMARY KEY, rep_id text NOT NULL, pool_id text NOT NULL, rule_id text,
      assigned_at timestamptz NOT NULL, decision jsonb NOT NULL)`);
  }
}
