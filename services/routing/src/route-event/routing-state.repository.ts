import type { LeadEvent } from '@lead-sla/contracts';
import type { Tx } from '@lead-sla/platform';
import type { Policy } from '@lead-sla/policy';
import type { RoutingDecision } from '../domain/routing-decision.types';
import type {
  ContactLead,
  Interval,
  LeadRoutingState,
  PoolState,
  QueuedLead,
  RepMiss,
  RepState,
} from '../domain/routing-state.types';
import type { RoutingInputEvent, RoutingState } from '../routing.decider';

/**
 * What one transaction has locked and loaded: every pool row (FOR UPDATE),
 * every rep row, the unassigned queue and the account owners its leads
 * need. Kept for the rest of the transaction (one consumer batch) and
 * updated as each decision is written, so later events in the batch cost
 * one read and one write each.
 */
export interface RoutingSession {
  readonly policy: Policy;
  readonly reps: Map<string, RepState>;
  readonly pools: Map<string, PoolState>;
  queue: QueuedLead[];
  readonly learnedAccountOwners: Map<string, string>;
}

interface RepRow {
  rep_id: string;
  available: boolean;
  pto: Interval[];
  shift_override: Interval | null;
  in_rotation: boolean;
  open_awaiting_first_touch: number;
  misses: RepMiss[];
}

interface QueueRow {
  lead_id: string;
  queued_at: Date | string;
  exclude_rep_ids: string[];
  reassignment_cause: string | null;
  state: LeadRoutingState;
}

interface EventStateRow {
  lead: LeadRoutingState | null;
  same_contact: ContactLead[];
  suppressed: boolean;
  account_domain: string | null;
  account_owner: string | null;
}

export interface DecisionCause {
  readonly eventId: string;
  readonly type: string;
}

const iso = (t: Date | string) => (t instanceof Date ? t.toISOString() : new Date(t).toISOString());

function repFromRow(r: RepRow): RepState {
  return {
    repId: r.rep_id,
    available: r.available,
    pto: r.pto,
    shiftOverride: r.shift_override,
    inRotation: r.in_rotation,
    openAwaitingFirstTouch: r.open_awaiting_first_touch,
    misses: r.misses,
  };
}

/** The persisted status of a lead, for the why endpoint and operators. */
export function leadStatus(lead: LeadRoutingState, queued: boolean): string {
  if (lead.released) return lead.released;
  if (lead.ownerRepId !== null) return 'assigned';
  return queued ? 'queued' : 'unassigned';
}

/**
 * All of routing's SQL. Concurrency (DESIGN.md §5): every transaction that
 * decides anything first locks all pool rows, then all rep rows, each in
 * id order. A decision may touch any pool (the queue drain after every
 * event, overflow through backup chains), so taking them all in one fixed
 * order keeps round robin fair and caps exact across instances, and makes
 * deadlocks impossible. The lock is held for one batch transaction, which
 * is short; the cost is that routing instances decide one batch at a time.
 */
export class RoutingStateRepository {
  private readonly sessions = new WeakMap<Tx, RoutingSession>();

  constructor(private readonly schema = 'routing') {}

  private t(table: string): string {
    return `"${this.schema}".${table}`;
  }

  /** The transaction's session: locked and loaded on first use. */
  async session(tx: Tx, policy: Policy): Promise<RoutingSession> {
    const existing = this.sessions.get(tx);
    if (existing) return existing;
    const session = await this.lockAndLoad(tx, policy);
    this.sessions.set(tx, session);
    return session;
  }

  /**
   * Drops the session of a transaction whose handler failed: in the
   * consumer's careful mode the failed message's savepoint is rolled back,
   * which also releases locks taken inside it, so the next message must
   * lock and load again.
   */
  forget(tx: Tx): void {
    this.sessions.delete(tx);
  }

  private async lockAndLoad(tx: Tx, policy: Policy): Promise<RoutingSession> {
    const poolIds = policy.pools.map((p) => p.id).sort();
    const lockPools = () =>
      tx.query<{ pool_id: string; last_assigned_rep_id: string | null }>(
        `SELECT pool_id, last_assigned_rep_id FROM ${this.t('pools')} WHERE pool_id = ANY($1::text[]) ORDER BY pool_id FOR UPDATE`,
        [poolIds],
      );
    let pools = await lockPools();
    if (pools.length < poolIds.length) {
      // First run, or a policy reload added pools: create their rows, then lock them all in order.
      await tx.execute(`INSERT INTO ${this.t('pools')} (pool_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [poolIds]);
      pools = await lockPools();
    }
    const reps = await tx.query<RepRow>(
      `SELECT rep_id, available, pto, shift_override, in_rotation, open_awaiting_first_touch, misses
         FROM ${this.t('reps')} ORDER BY rep_id FOR UPDATE`,
    );
    const queue = await tx.query<QueueRow>(
      `SELECT q.lead_id, q.queued_at, q.exclude_rep_ids, q.reassignment_cause, l.state
         FROM ${this.t('unassigned_queue')} q JOIN ${this.t('leads')} l USING (lead_id) ORDER BY q.seq`,
    );
    const domains = [...new Set(queue.flatMap((q) => (q.state.accountDomain ? [q.state.accountDomain] : [])))];
    const owners =
      domains.length === 0
        ? []
        : await tx.query<{ account_domain: string; rep_id: string }>(
            `SELECT account_domain, rep_id FROM ${this.t('account_owners')} WHERE account_domain = ANY($1::text[])`,
            [domains],
          );
    return {
      policy,
      pools: new Map(pools.map((p) => [p.pool_id, { poolId: p.pool_id, lastAssignedRepId: p.last_assigned_rep_id }])),
      reps: new Map(reps.map((r) => [r.rep_id, repFromRow(r)])),
      queue: queue.map((q) => ({
        lead: q.state,
        queuedAt: iso(q.queued_at),
        excludeRepIds: q.exclude_rep_ids,
        reassignmentCause: q.reassignment_cause,
      })),
      learnedAccountOwners: new Map(owners.map((o) => [o.account_domain, o.rep_id])),
    };
  }

  /**
   * The event's lead, other leads of its contact, whether that contact is
   * suppressed and its company's learned owner: one round trip.
   */
  async stateFor(tx: Tx, session: RoutingSession, event: RoutingInputEvent): Promise<RoutingState> {
    const base = { reps: session.reps, pools: session.pools, queue: session.queue };
    if (event.leadId === null) return { ...base, learnedAccountOwners: session.learnedAccountOwners, lead: null, sameContact: [] };
    const created = event.type === 'LeadCreated' ? event.data : null;
    const needsContact = event.type === 'LeadCreated' || event.type === 'LeadRequalified';
    const [row] = await tx.query<EventStateRow>(
      `WITH l AS (SELECT state FROM ${this.t('leads')} WHERE lead_id = $1),
            k AS (SELECT coalesce($2, (SELECT state->>'contactKey' FROM l)) AS contact_key,
                         coalesce($3, (SELECT state->>'accountDomain' FROM l)) AS account_domain)
       SELECT (SELECT state FROM l) AS lead,
              CASE WHEN $4 THEN (SELECT coalesce(jsonb_agg(jsonb_build_object('leadId', o.lead_id, 'createdAt', o.state->'createdAt', 'ownerRepId', o.owner_rep_id)), '[]'::jsonb)
                                   FROM ${this.t('leads')} o, k WHERE o.contact_key = k.contact_key AND o.lead_id <> $1)
                   ELSE '[]'::jsonb END AS same_contact,
              $4 AND EXISTS (SELECT 1 FROM ${this.t('suppressed_contacts')} s, k WHERE s.contact_key = k.contact_key) AS suppressed,
              (SELECT account_domain FROM k) AS account_domain,
              (SELECT a.rep_id FROM ${this.t('account_owners')} a, k WHERE a.account_domain = k.account_domain) AS account_owner`,
      [event.leadId, created?.contact.contactKey ?? null, created?.accountDomain?.toLowerCase() ?? null, needsContact],
    );
    const learned = new Map(session.learnedAccountOwners);
    if (row.account_domain && row.account_owner && !learned.has(row.account_domain)) learned.set(row.account_domain, row.account_owner);
    return { ...base, learnedAccountOwners: learned, lead: row.lead, sameContact: row.same_contact, contactSuppressed: row.suppressed };
  }

  /**
   * Writes a decision in one statement (one data-modifying CTE per table)
   * and then brings the session up to date. Rep rows are written whole:
   * the transaction holds their locks, so the session's counts are exact.
   */
  async apply(tx: Tx, session: RoutingSession, d: RoutingDecision, emitted: readonly LeadEvent[], cause: DecisionCause, at: Date): Promise<void> {
    const reps = new Map<string, RepState>();
    const repOf = (id: string) => reps.get(id) ?? session.reps.get(id) ?? { repId: id, available: true, pto: [], shiftOverride: null, inRotation: true, openAwaitingFirstTouch: 0, misses: [] };
    for (const r of d.reps) reps.set(r.repId, { ...r, openAwaitingFirstTouch: repOf(r.repId).openAwaitingFirstTouch });
    for (const c of d.capacity) {
      const rep = repOf(c.repId);
      // Never below zero: a count that would go negative means a release was already applied.
      reps.set(c.repId, { ...rep, openAwaitingFirstTouch: Math.max(0, rep.openAwaitingFirstTouch + c.delta) });
    }
    const removed = new Set(d.queue.remove);
    // A lead both removed and added in one decision ends up queued (the add is the later step); the last add of a lead wins.
    const added = [...new Map(d.queue.add.map((q) => [q.lead.leadId, q])).values()];
    const addedIds = new Set(added.map((q) => q.lead.leadId));
    const toDelete = [...removed].filter((id) => !addedIds.has(id));
    const queuedAfter = new Set([...session.queue.map((q) => q.lead.leadId).filter((id) => !removed.has(id)), ...addedIds]);

    const parts: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (d.leads.length > 0) {
      const rows = d.leads.map((l) => ({
        lead_id: l.leadId, contact_key: l.contactKey, account_domain: l.accountDomain, pool_id: l.poolId, rule_id: l.ruleId,
        owner_rep_id: l.ownerRepId, status: leadStatus(l, queuedAfter.has(l.leadId)), state: l,
      }));
      parts.push(`leads_w AS (INSERT INTO ${this.t('leads')} (lead_id, contact_key, account_domain, pool_id, rule_id, owner_rep_id, status, state, updated_at)
        SELECT x.lead_id, x.contact_key, x.account_domain, x.pool_id, x.rule_id, x.owner_rep_id, x.status, x.state, now()
          FROM jsonb_to_recordset(${param(JSON.stringify(rows))}::jsonb) AS x(lead_id text, contact_key text, account_domain text, pool_id text, rule_id text, owner_rep_id text, status text, state jsonb)
        ON CONFLICT (lead_id) DO UPDATE SET contact_key = EXCLUDED.contact_key, account_domain = EXCLUDED.account_domain, pool_id = EXCLUDED.pool_id,
          rule_id = EXCLUDED.rule_id, owner_rep_id = EXCLUDED.owner_rep_id, status = EXCLUDED.status, state = EXCLUDED.state, updated_at = now())`);
    }
    if (reps.size > 0) {
      const rows = [...reps.values()].map((r) => ({
        rep_id: r.repId, available: r.available, pto: r.pto, shift_override: r.shiftOverride, in_rotation: r.inRotation,
        open_awaiting_first_touch: r.openAwaitingFirstTouch, misses: r.misses,
      }));
      parts.push(`reps_w AS (INSERT INTO ${this.t('reps')} (rep_id, available, pto, shift_override, in_rotation, open_awaiting_first_touch, misses, updated_at)
        SELECT x.rep_id, x.available, x.pto, x.shift_override, x.in_rotation, x.open_awaiting_first_touch, x.misses, now()
          FROM jsonb_to_recordset(${param(JSON.stringify(rows))}::jsonb) AS x(rep_id text, available boolean, pto jsonb, shift_override jsonb, in_rotation boolean, open_awaiting_first_touch int, misses jsonb)
        ON CONFLICT (rep_id) DO UPDATE SET available = EXCLUDED.available, pto = EXCLUDED.pto, shift_override = EXCLUDED.shift_override,
          in_rotation = EXCLUDED.in_rotation, open_awaiting_first_touch = EXCLUDED.open_awaiting_first_touch, misses = EXCLUDED.misses, updated_at = now())`);
    }
    if (d.pools.length > 0) {
      parts.push(`pools_w AS (UPDATE ${this.t('pools')} p SET last_assigned_rep_id = x.rep_id, updated_at = now()
        FROM unnest(${param(d.pools.map((p) => p.poolId))}::text[], ${param(d.pools.map((p) => p.lastAssignedRepId))}::text[]) AS x(pool_id, rep_id)
        WHERE p.pool_id = x.pool_id)`);
    }
    if (toDelete.length > 0) {
      parts.push(`queue_d AS (DELETE FROM ${this.t('unassigned_queue')} WHERE lead_id = ANY(${param(toDelete)}::text[]))`);
    }
    if (added.length > 0) {
      const rows = added.map((q) => ({ lead_id: q.lead.leadId, queued_at: q.queuedAt, exclude_rep_ids: q.excludeRepIds, reassignment_cause: q.reassignmentCause }));
      parts.push(`queue_w AS (INSERT INTO ${this.t('unassigned_queue')} (lead_id, queued_at, exclude_rep_ids, reassignment_cause)
        SELECT x.lead_id, x.queued_at, ARRAY(SELECT jsonb_array_elements_text(x.exclude_rep_ids)), x.reassignment_cause
          FROM jsonb_to_recordset(${param(JSON.stringify(rows))}::jsonb) AS x(lead_id text, queued_at timestamptz, exclude_rep_ids jsonb, reassignment_cause text)
        ON CONFLICT (lead_id) DO UPDATE SET queued_at = EXCLUDED.queued_at, exclude_rep_ids = EXCLUDED.exclude_rep_ids, reassignment_cause = EXCLUDED.reassignment_cause)`);
    }
    if (d.accountOwners.length > 0) {
      parts.push(`owners_w AS (INSERT INTO ${this.t('account_owners')} (account_domain, rep_id)
        SELECT * FROM unnest(${param(d.accountOwners.map((o) => o.accountDomain))}::text[], ${param(d.accountOwners.map((o) => o.repId))}::text[])
        ON CONFLICT DO NOTHING)`);
    }
    if (d.suppressContacts.length > 0) {
      parts.push(`suppressed_w AS (INSERT INTO ${this.t('suppressed_contacts')} (contact_key, lead_id, cause)
        SELECT * FROM unnest(${param(d.suppressContacts.map((c) => c.contactKey))}::text[], ${param(d.suppressContacts.map((c) => c.leadId))}::text[],
                             ${param(d.suppressContacts.map((c) => c.cause))}::text[])
        ON CONFLICT DO NOTHING)`);
    }
    const log = [
      ...emitted.flatMap((e) =>
        (e.type === 'LeadAssigned' || e.type === 'LeadQueued') && e.leadId !== null ? [{ lead_id: e.leadId, kind: e.type, event_id: e.eventId, data: e.data }] : [],
      ),
      ...d.notes.flatMap((n) => (n.leadId !== null ? [{ lead_id: n.leadId, kind: 'Note', event_id: null, data: { note: n.text } }] : [])),
    ];
    if (log.length > 0) {
      parts.push(`log_w AS (INSERT INTO ${this.t('lead_decisions')} (lead_id, kind, event_id, cause_event_id, cause_type, decided_at, data)
        SELECT x.lead_id, x.kind, x.event_id, ${param(cause.eventId)}::uuid, ${param(cause.type)}, ${param(at.toISOString())}::timestamptz, x.data
          FROM jsonb_to_recordset(${param(JSON.stringify(log))}::jsonb) AS x(lead_id text, kind text, event_id uuid, data jsonb))`);
    }
    if (parts.length > 0) await tx.execute(`WITH ${parts.join(',\n')} SELECT 1`, params);

    for (const [id, rep] of reps) session.reps.set(id, rep);
    for (const p of d.pools) session.pools.set(p.poolId, p);
    for (const o of d.accountOwners) if (!session.learnedAccountOwners.has(o.accountDomain)) session.learnedAccountOwners.set(o.accountDomain, o.repId);
    session.queue = [...session.queue.filter((q) => !removed.has(q.lead.leadId) && !addedIds.has(q.lead.leadId)), ...added];
  }

  // --- reads for the HTTP endpoints (outside any consumer transaction) ---

  async explanationRows(tx: Tx, leadId: string) {
    const [lead] = await tx.query<{ status: string; state: LeadRoutingState; updated_at: Date }>(
      `SELECT status, state, updated_at FROM ${this.t('leads')} WHERE lead_id = $1`,
      [leadId],
    );
    if (!lead) return null;
    const decisions = await tx.query<{ kind: string; event_id: string | null; cause_event_id: string; cause_type: string; decided_at: Date; data: Record<string, unknown> }>(
      `SELECT kind, event_id, cause_event_id, cause_type, decided_at, data FROM ${this.t('lead_decisions')} WHERE lead_id = $1 ORDER BY id`,
      [leadId],
    );
    const queued = await tx.query<{ queued_at: Date }>(`SELECT queued_at FROM ${this.t('unassigned_queue')} WHERE lead_id = $1`, [leadId]);
    return { lead, decisions, queuedAt: queued.length > 0 ? iso(queued[0].queued_at) : null };
  }
}
