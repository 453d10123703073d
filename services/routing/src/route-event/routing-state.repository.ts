import type { LeadEvent } from '@lead-sla/contracts';
import type { Tx } from '@lead-sla/platform';
import type { Policy } from '@lead-sla/policy';
import type { RoutingDecision } from '../domain/routing-decision.types';
import type {
  ContactLead,
  LeadRoutingState,
  PoolState,
  QueuedLead,
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

/** What routing.lock_and_load returns (see the migration). */
interface LoadedState {
  pools: PoolState[];
  reps: RepState[];
  queue: QueuedLead[];
  accountOwners: Record<string, string>;
}

/** What routing.decision_context returns (see the migration). */
interface EventStateRow {
  lead: LeadRoutingState | null;
  sameContact: ContactLead[];
  suppressed: boolean;
  accountDomain: string | null;
  accountOwner: string | null;
}

/** One entry of a lead's decision log (what the why endpoint shows). */
export interface DecisionLogEntry {
  readonly kind: 'LeadAssigned' | 'LeadQueued' | 'Note';
  readonly eventId: string | null;
  readonly causeType: string;
  readonly causeEventId: string;
  readonly decidedAt: string;
  readonly data: unknown;
}

export interface DecisionCause {
  readonly eventId: string;
  readonly type: string;
}

const iso = (t: Date | string) => (t instanceof Date ? t.toISOString() : new Date(t).toISOString());

/** The persisted status of a lead, for the why endpoint and operators. */
export function leadStatus(lead: LeadRoutingState, queued: boolean): string {
  if (lead.released) return lead.released;
  if (lead.ownerRepId !== null) return 'assigned';
  return queued ? 'queued' : 'unassigned';
}

/**
 * Routing's state in Postgres. The hot path is three PL/pgSQL functions
 * (lock_and_load once per transaction, decision_context and apply_decision
 * per event; see the migration). Concurrency (DESIGN.md §5): every transaction that
 * decides anything first locks all pool rows, then all rep rows, each in
 * id order. A decision may touch any pool (the queue drain after every
 * event, overflow through backup chains), so taking them all in one fixed
 * order keeps round robin fair and caps exact across instances, and makes
 * deadlocks impossible. The lock is held for one batch transaction, which
 * is short; the cost is that routing instances decide one batch at a time.
 */
export class RoutingStateRepository {
  private readonly sessions = new WeakMap<Tx, RoutingSession>();

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
    const [{ loaded }] = await tx.query<{ loaded: LoadedState }>('SELECT routing.lock_and_load($1::text[]) AS loaded', [poolIds]);
    return {
      policy,
      pools: new Map(loaded.pools.map((p) => [p.poolId, p])),
      reps: new Map(loaded.reps.map((r) => [r.repId, r])),
      queue: loaded.queue.map((q) => ({ ...q, queuedAt: iso(q.queuedAt) })),
      learnedAccountOwners: new Map(Object.entries(loaded.accountOwners)),
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
    const [{ context: row }] = await tx.query<{ context: EventStateRow }>('SELECT routing.decision_context($1, $2, $3, $4) AS context', [
      event.leadId,
      created?.contact.contactKey ?? null,
      created?.accountDomain?.toLowerCase() ?? null,
      needsContact,
    ]);
    const learned = new Map(session.learnedAccountOwners);
    if (row.accountDomain && row.accountOwner && !learned.has(row.accountDomain)) learned.set(row.accountDomain, row.accountOwner);
    return { ...base, learnedAccountOwners: learned, lead: row.lead, sameContact: row.sameContact, contactSuppressed: row.suppressed };
  }

  /**
   * Writes a decision with one call of routing.apply_decision and then
   * brings the session up to date. Rep rows are written whole: the
   * transaction holds their locks, so the session's counts are exact.
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

    const log = new Map<string, DecisionLogEntry[]>();
    const logFor = (leadId: string, entry: DecisionLogEntry) => log.set(leadId, [...(log.get(leadId) ?? []), entry]);
    const base = { causeType: cause.type, causeEventId: cause.eventId, decidedAt: at.toISOString() };
    for (const e of emitted) {
      if ((e.type === 'LeadAssigned' || e.type === 'LeadQueued') && e.leadId !== null) logFor(e.leadId, { kind: e.type, eventId: e.eventId, ...base, data: e.data });
    }
    for (const n of d.notes) if (n.leadId !== null) logFor(n.leadId, { kind: 'Note', eventId: null, ...base, data: { note: n.text } });

    const leads = d.leads.map((l) => ({
      lead_id: l.leadId, contact_key: l.contactKey, account_domain: l.accountDomain, pool_id: l.poolId, rule_id: l.ruleId,
      owner_rep_id: l.ownerRepId, status: leadStatus(l, queuedAfter.has(l.leadId)), state: l, decisions: log.get(l.leadId) ?? [],
    }));
    const repRows = [...reps.values()].map((r) => ({
      rep_id: r.repId, available: r.available, pto: r.pto, shift_override: r.shiftOverride, in_rotation: r.inRotation,
      open_awaiting_first_touch: r.openAwaitingFirstTouch, misses: r.misses,
    }));
    const pools = d.pools.map((p) => ({ pool_id: p.poolId, rep_id: p.lastAssignedRepId }));
    const queueAdd = added.map((q) => ({ lead_id: q.lead.leadId, queued_at: q.queuedAt, exclude_rep_ids: q.excludeRepIds, reassignment_cause: q.reassignmentCause }));
    const owners = d.accountOwners.map((o) => ({ account_domain: o.accountDomain, rep_id: o.repId }));
    const suppressed = d.suppressContacts.map((c) => ({ contact_key: c.contactKey, lead_id: c.leadId, cause: c.cause }));
    if (leads.length + repRows.length + pools.length + toDelete.length + queueAdd.length + owners.length + suppressed.length > 0) {
      await tx.execute('SELECT routing.apply_decision($1::jsonb, $2::jsonb, $3::jsonb, $4::text[], $5::jsonb, $6::jsonb, $7::jsonb)', [
        JSON.stringify(leads), JSON.stringify(repRows), JSON.stringify(pools), toDelete,
        JSON.stringify(queueAdd), JSON.stringify(owners), JSON.stringify(suppressed),
      ]);
    }

    for (const [id, rep] of reps) session.reps.set(id, rep);
    for (const p of d.pools) session.pools.set(p.poolId, p);
    for (const o of d.accountOwners) if (!session.learnedAccountOwners.has(o.accountDomain)) session.learnedAccountOwners.set(o.accountDomain, o.repId);
    session.queue = [...session.queue.filter((q) => !removed.has(q.lead.leadId) && !addedIds.has(q.lead.leadId)), ...added];
  }

  // --- reads for the HTTP endpoints (outside any consumer transaction) ---

  async explanationRows(tx: Tx, leadId: string) {
    const [lead] = await tx.query<{ status: string; state: LeadRoutingState; decisions: DecisionLogEntry[]; queued_at: Date | null }>(
      `SELECT l.status, l.state, l.decisions, q.queued_at
         FROM routing.leads l LEFT JOIN routing.unassigned_queue q USING (lead_id) WHERE l.lead_id = $1`,
      [leadId],
    );
    if (!lead) return null;
    return { status: lead.status, state: lead.state, decisions: lead.decisions, queuedAt: lead.queued_at ? iso(lead.queued_at) : null };
  }
}
