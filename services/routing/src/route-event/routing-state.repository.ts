import { Injectable } from '@nestjs/common';
import { prepared, type Tx } from '@lead-sla/platform';
import type { DecisionLogEntry, Interval, LearnedOwner, LeadRoutingState, PoolState, QueuedLead, RepMiss, RoutingState, SuppressedContact } from '../domain/routing-state.types';
import { leadStatus } from '../domain/routing-state.util';
import { wakeUpIdOf, type QueueWakeUp } from '../unassigned-queue/queue-wake-up.util';
import { footprintCovers, footprintUnion, type BatchFootprint } from './batch-footprint';

/** A pending wake-up, as the scheduler holds it. */
export interface PendingWakeUp {
  readonly wakeUpId: string;
  readonly dueAt: Date;
}

/** A wake-up claimed for firing: what to publish and the trace it continues. */
export interface ClaimedWakeUp {
  readonly wakeUpId: string;
  readonly data: QueueWakeUp;
  readonly trace: Record<string, string>;
}

/** The leads and facts a batch needs (its pools and reps follow from them: batch-footprint.ts). */
export interface RoutingKeys {
  readonly leadIds: readonly string[];
  /** Contacts whose leads and suppression the batch needs (new leads). */
  readonly contactKeys: readonly string[];
  /** Leads whose contact's other leads and suppression the batch needs (re-qualified leads). */
  readonly contactOfLeadIds: readonly string[];
  /** Companies whose learned owner the batch needs (new leads). */
  readonly accountDomains: readonly string[];
}

export interface AssignmentExplanationRow {
  readonly status: string;
  readonly state: LeadRoutingState;
  readonly decisions: DecisionLogEntry[];
  readonly queuedAt: string | null;
}

interface RepRow {
  rep_id: string;
  available: boolean;
  pto: Interval[];
  shift_override: Interval | null;
  in_rotation: boolean;
  open_awaiting_first_touch: number;
  misses: RepMiss[];
  misses_cleared_at: Date | string | null;
}

interface PoolRow {
  pool_id: string;
  last_assigned_rep_id: string | null;
  last_assigned_at: Date | string | null;
  last_assigned_event_id: string | null;
  last_assigned_cause_id: string | null;
}

interface OwnerRow {
  account_domain: string;
  rep_id: string;
  learned_at: string;
  event_id: string | null;
  cause_id: string | null;
}

interface SuppressedRow {
  contact_key: string;
  lead_id: string;
  cause: string | null;
  suppressed_at: string;
}

interface LeadRow {
  lead_id: string;
  state: LeadRoutingState;
  decisions: DecisionLogEntry[];
  queued_at: string | null;
  exclude_rep_ids: string[] | null;
  reassignment_cause: string | null;
}

/** How long a lock taken out of the global order may wait before the batch gives up and is retried. */
const OUT_OF_ORDER_LOCK_TIMEOUT = '500ms';

const iso = (t: Date | string) => (t instanceof Date ? t : new Date(t)).toISOString();

/** What a policy version would leave behind in routing's live state. */
export interface PolicyOrphans {
  readonly queuedLeadsOfRemovedPools: ReadonlyArray<{ readonly leadId: string; readonly poolId: string; readonly queuedAt: string }>;
  readonly openLeadsOfRemovedReps: ReadonlyArray<{ readonly leadId: string; readonly repId: string }>;
}

function changed<K, V>(before: ReadonlyMap<K, V>, after: ReadonlyMap<K, V>): [K, V][] {
  return [...after].filter(([k, v]) => before.get(k) !== v);
}

/**
 * All of routing's SQL (schema `routing` unless given, so a replay can
 * target a shadow schema): the batch load, the batch save and the read
 * behind the why endpoint.
 *
 * Locking (DESIGN.md §5): a batch locks only its footprint
 * (batch-footprint.ts: the pools and reps it may read or change, and the
 * contacts and companies of the leads it routes), worked out from a first
 * read of its leads and the queue, always in one global order: the
 * contact and company keys (transaction advisory locks, by hash), then
 * the pool rows by id, then the rep rows by id. Missing pool and rep rows
 * are created by the same statement that locks the existing ones, in the
 * same order (`INSERT … ON CONFLICT DO UPDATE … WHERE false` locks a
 * conflicting row without writing it), so a fresh database or a replay
 * has a row to lock too. Two batches that share a pool, a rep or a key
 * serialise on it; two that share none run side by side.
 *
 * Why no deadlock: a batch's first acquisition waits only in that order,
 * and a transaction that holds one lock only ever waits for a later one,
 * so no two can wait for each other. Anything locked afterwards in the
 * same transaction (the batch's next chunk of inputs, the next message of
 * a batch retried one by one, or a footprint that grew between the first
 * read and the locks because another batch assigned one of its leads
 * meanwhile) may be out of order: it waits at most a short lock timeout,
 * then fails with a transient error (55P03) and the consumer retries the
 * batch, rather than wait in a cycle. After locking, the state is read
 * again (fresh under the locks) and its footprint checked to be inside
 * what is locked.
 */
@Injectable()
export class RoutingStateRepository {
  /** Transactions that have taken routing locks already (a batch's chunks, or messages retried one by one, share one). */
  private readonly locking = new WeakSet<Tx>();

  constructor(readonly schema: string = 'routing') {}

  private table(name: string): string {
    return `"${this.schema}".${name}`;
  }

  /**
   * Locks and loads the state of one batch: the leads the keys name, with
   * the queue and the facts of their contacts and companies, then the
   * footprint `footprintOf` works out from them, locked and loaded.
   */
  async load(tx: Tx, keys: RoutingKeys, footprintOf: (known: RoutingState) => BatchFootprint): Promise<RoutingState> {
    let wanted = footprintOf(await this.loadLeads(tx, keys, null));
    for (;;) {
      // Locks the transaction already holds are taken again at no cost (and retaken if a savepoint rollback dropped them).
      await this.lock(tx, wanted, this.locking.has(tx));
      this.locking.add(tx);
      const state = await this.loadLeads(tx, keys, wanted);
      const needed = footprintOf(state);
      if (footprintCovers(wanted, needed)) return state;
      wanted = footprintUnion(wanted, needed);
    }
  }

  /**
   * Creates the missing pool and rep rows and locks the footprint, in the global order (keys, pools, reps).
   * This and the batch read below are not prepared statements: Postgres would switch them to a generic plan
   * after five runs, and the read's best plan depends on how many leads, contacts and queued leads it gets
   * (measured: `npm run bench -- routing` p99 76 ms unnamed, 197–212 ms prepared, docs/benchmarks.md).
   */
  private async lock(tx: Tx, f: BatchFootprint, outOfOrder: boolean): Promise<void> {
    const previous = outOfOrder ? await tx.query<{ previous: string }>(`SELECT current_setting('lock_timeout') AS previous, set_config('lock_timeout', '${OUT_OF_ORDER_LOCK_TIMEOUT}', true)`) : [];
    if (f.keys.length + f.pools.length > 0) {
      // The keys first: the aggregate takes every advisory lock (by hash, the order the locks really are) before the first pool row.
      await tx.execute(
        `WITH keys AS (
           SELECT count(pg_advisory_xact_lock(h)) AS n FROM (SELECT DISTINCT hashtextextended($3 || k, 0) AS h FROM unnest($2::text[]) AS k ORDER BY 1) x
         )
         INSERT INTO ${this.table('pools')} (pool_id)
         SELECT u.pool_id FROM keys CROSS JOIN LATERAL unnest($1::text[]) WITH ORDINALITY AS u(pool_id, i) ORDER BY u.i
         ON CONFLICT (pool_id) DO UPDATE SET pool_id = EXCLUDED.pool_id WHERE false`,
        [f.pools, f.keys, `lead-sla.routing:${this.schema}:`],
      );
    }
    if (f.reps.length > 0) {
      await tx.execute(
        `INSERT INTO ${this.table('reps')} (rep_id) SELECT u.rep_id FROM unnest($1::text[]) WITH ORDINALITY AS u(rep_id, i) ORDER BY u.i
         ON CONFLICT (rep_id) DO UPDATE SET rep_id = EXCLUDED.rep_id WHERE false`,
        [f.reps],
      );
    }
    if (previous.length > 0) await tx.query(`SELECT set_config('lock_timeout', $1, true)`, [previous[0].previous]);
  }

  /**
   * The batch's leads, every other lead of their contacts and the whole
   * queue (in queue order), the facts of their contacts and companies and,
   * once locked, the footprint's pools and reps (`null`: none, the first
   * read, unlocked). One statement (json: timestamps come back as ISO
   * text, which `iso` reads like a Date).
   */
  private async loadLeads(tx: Tx, keys: RoutingKeys, locked: BatchFootprint | null): Promise<RoutingState> {
    const [row] = await tx.query<{ leads: LeadRow[]; owners: OwnerRow[]; suppressed: SuppressedRow[]; pools: PoolRow[]; reps: RepRow[] }>(
      `WITH contacts AS (
         SELECT unnest($2::text[]) AS contact_key
         UNION SELECT contact_key FROM ${this.table('leads')} WHERE lead_id = ANY($3::text[])
       ), picked AS (
         SELECT lead_id FROM ${this.table('leads')} WHERE lead_id = ANY($1::text[])
         UNION SELECT l.lead_id FROM ${this.table('leads')} l JOIN contacts c USING (contact_key)
         UNION SELECT lead_id FROM ${this.table('unassigned_queue')}
       ), loaded AS (
         SELECT l.lead_id, l.contact_key, l.account_domain, l.state, l.decisions, q.seq, q.queued_at, q.exclude_rep_ids, q.reassignment_cause
           FROM picked p JOIN ${this.table('leads')} l USING (lead_id) LEFT JOIN ${this.table('unassigned_queue')} q USING (lead_id)
       )
       SELECT
         (SELECT coalesce(json_agg(x ORDER BY x.seq NULLS LAST, x.lead_id), '[]') FROM (
            SELECT lead_id, state, decisions, seq, queued_at, exclude_rep_ids, reassignment_cause FROM loaded) x) AS leads,
         (SELECT coalesce(json_agg(o), '[]') FROM (
            SELECT account_domain, rep_id, learned_at, event_id, cause_id FROM ${this.table('account_owners')}
             WHERE account_domain = ANY($4::text[]) OR account_domain IN (SELECT account_domain FROM loaded)) o) AS owners,
         (SELECT coalesce(json_agg(c), '[]') FROM (
            SELECT contact_key, lead_id, cause, suppressed_at FROM ${this.table('suppressed_contacts')}
             WHERE contact_key = ANY($2::text[]) OR contact_key IN (SELECT contact_key FROM loaded)) c) AS suppressed,
         (SELECT coalesce(json_agg(p ORDER BY p.pool_id), '[]') FROM (
            SELECT pool_id, last_assigned_rep_id, last_assigned_at, last_assigned_event_id, last_assigned_cause_id FROM ${this.table('pools')} WHERE pool_id = ANY($5::text[])) p) AS pools,
         (SELECT coalesce(json_agg(r ORDER BY r.rep_id), '[]') FROM (
            SELECT rep_id, available, pto, shift_override, in_rotation, open_awaiting_first_touch, misses, misses_cleared_at FROM ${this.table('reps')} WHERE rep_id = ANY($6::text[])) r) AS reps`,
      [keys.leadIds, keys.contactKeys, keys.contactOfLeadIds, keys.accountDomains, locked?.pools ?? [], locked?.reps ?? []],
    );
    const { leads: leadRows, owners, suppressed, pools: poolRows, reps: repRows } = row;
    return {
      pools: new Map(
        poolRows.map((p): [string, PoolState] => [
          p.pool_id,
          {
            poolId: p.pool_id,
            lastAssignedRepId: p.last_assigned_rep_id,
            lastAssigned: p.last_assigned_at === null ? null : { at: iso(p.last_assigned_at), eventId: p.last_assigned_event_id ?? '', causeId: p.last_assigned_cause_id ?? '' },
          },
        ]),
      ),
      reps: new Map(
        repRows.map((r) => [
          r.rep_id,
          { repId: r.rep_id, available: r.available, pto: r.pto, shiftOverride: r.shift_override, inRotation: r.in_rotation, openAwaitingFirstTouch: r.open_awaiting_first_touch, misses: r.misses, missesClearedAt: r.misses_cleared_at === null ? null : iso(r.misses_cleared_at) },
        ]),
      ),
      leads: new Map(leadRows.map((r) => [r.lead_id, r.state])),
      logs: new Map(leadRows.map((r) => [r.lead_id, r.decisions])),
      queue: new Map(
        leadRows
          .filter((r) => r.queued_at !== null)
          .map((r): [string, QueuedLead] => [r.lead_id, { leadId: r.lead_id, queuedAt: iso(r.queued_at!), excludeRepIds: r.exclude_rep_ids ?? [], reassignmentCause: r.reassignment_cause }]),
      ),
      learnedAccountOwners: new Map(owners.map((o): [string, LearnedOwner] => [o.account_domain, { repId: o.rep_id, at: iso(o.learned_at), eventId: o.event_id ?? '', causeId: o.cause_id ?? '' }])),
      suppressedContacts: new Map(suppressed.map((c): [string, SuppressedContact] => [c.contact_key, { leadId: c.lead_id, cause: c.cause ?? '', suppressedAt: iso(c.suppressed_at) }])),
      folding: null,
    };
  }

  /** Writes what changed between `before` and `after`, one multi-row statement per table that changed. */
  async save(tx: Tx, before: RoutingState, after: RoutingState): Promise<void> {
    const reps = changed(before.reps, after.reps).map(([, r]) => r);
    if (reps.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO ${this.table('reps')} (rep_id, available, pto, shift_override, in_rotation, open_awaiting_first_touch, misses, misses_cleared_at, updated_at)
         SELECT r.*, now() FROM unnest($1::text[], $2::boolean[], $3::jsonb[], $4::jsonb[], $5::boolean[], $6::int[], $7::jsonb[], $8::timestamptz[]) AS r
         ON CONFLICT (rep_id) DO UPDATE SET available = EXCLUDED.available, pto = EXCLUDED.pto, shift_override = EXCLUDED.shift_override,
           in_rotation = EXCLUDED.in_rotation, open_awaiting_first_touch = EXCLUDED.open_awaiting_first_touch, misses = EXCLUDED.misses,
           misses_cleared_at = EXCLUDED.misses_cleared_at, updated_at = now()`,
        [
          reps.map((r) => r.repId),
          reps.map((r) => r.available),
          reps.map((r) => JSON.stringify(r.pto)),
          reps.map((r) => (r.shiftOverride === null ? null : JSON.stringify(r.shiftOverride))),
          reps.map((r) => r.inRotation),
          reps.map((r) => r.openAwaitingFirstTouch),
          reps.map((r) => JSON.stringify(r.misses)),
          reps.map((r) => r.missesClearedAt),
        ],
      );
    }
    const pools = changed(before.pools, after.pools).map(([, p]) => p);
    if (pools.length > 0) {
      await prepared(tx).execute(
        `UPDATE ${this.table('pools')} p SET last_assigned_rep_id = x.rep_id, last_assigned_at = x.at, last_assigned_event_id = x.event_id,
           last_assigned_cause_id = x.cause_id, updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[]) AS x(pool_id, rep_id, at, event_id, cause_id) WHERE p.pool_id = x.pool_id`,
        [
          pools.map((p) => p.poolId),
          pools.map((p) => p.lastAssignedRepId),
          pools.map((p) => p.lastAssigned?.at ?? null),
          pools.map((p) => p.lastAssigned?.eventId ?? null),
          pools.map((p) => p.lastAssigned?.causeId ?? null),
        ],
      );
    }
    const leadIds = new Set([...changed(before.leads, after.leads), ...changed(before.logs, after.logs), ...changed(before.queue, after.queue)].map(([id]) => id));
    const leads = [...leadIds].flatMap((id) => {
      const lead = after.leads.get(id);
      return lead ? [lead] : [];
    });
    if (leads.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO ${this.table('leads')} (lead_id, contact_key, account_domain, pool_id, rule_id, owner_rep_id, status, state, decisions, updated_at)
         SELECT l.*, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[]) AS l
         ON CONFLICT (lead_id) DO UPDATE SET contact_key = EXCLUDED.contact_key, account_domain = EXCLUDED.account_domain, pool_id = EXCLUDED.pool_id,
           rule_id = EXCLUDED.rule_id, owner_rep_id = EXCLUDED.owner_rep_id, status = EXCLUDED.status, state = EXCLUDED.state,
           decisions = EXCLUDED.decisions, updated_at = now()`,
        [
          leads.map((l) => l.leadId),
          leads.map((l) => l.contactKey),
          leads.map((l) => l.accountDomain),
          leads.map((l) => l.poolId),
          leads.map((l) => l.ruleId),
          leads.map((l) => l.ownerRepId),
          leads.map((l) => leadStatus(l, after.queue.has(l.leadId))),
          leads.map((l) => JSON.stringify(l)),
          leads.map((l) => JSON.stringify(after.logs.get(l.leadId) ?? [])),
        ],
      );
    }
    const dequeued = [...before.queue.keys()].filter((id) => !after.queue.has(id));
    if (dequeued.length > 0) await prepared(tx).execute(`DELETE FROM ${this.table('unassigned_queue')} WHERE lead_id = ANY($1::text[])`, [dequeued]);
    const queued = changed(before.queue, after.queue).map(([, q]) => q);
    if (queued.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO ${this.table('unassigned_queue')} (lead_id, queued_at, exclude_rep_ids, reassignment_cause)
         SELECT q.lead_id, q.queued_at, ARRAY(SELECT jsonb_array_elements_text(q.exclude_rep_ids)), q.reassignment_cause
           FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[], $4::text[]) AS q(lead_id, queued_at, exclude_rep_ids, reassignment_cause)
         ON CONFLICT (lead_id) DO UPDATE SET queued_at = EXCLUDED.queued_at, exclude_rep_ids = EXCLUDED.exclude_rep_ids, reassignment_cause = EXCLUDED.reassignment_cause`,
        [queued.map((q) => q.leadId), queued.map((q) => q.queuedAt), queued.map((q) => JSON.stringify(q.excludeRepIds)), queued.map((q) => q.reassignmentCause)],
      );
    }
    // The folded state already holds the earliest owner and suppression of what it loaded (under its contact and company locks), so these overwrite.
    const owners = changed(before.learnedAccountOwners, after.learnedAccountOwners);
    if (owners.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO ${this.table('account_owners')} (account_domain, rep_id, learned_at, event_id, cause_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
         ON CONFLICT (account_domain) DO UPDATE SET rep_id = EXCLUDED.rep_id, learned_at = EXCLUDED.learned_at, event_id = EXCLUDED.event_id, cause_id = EXCLUDED.cause_id`,
        [owners.map(([d]) => d), owners.map(([, o]) => o.repId), owners.map(([, o]) => o.at), owners.map(([, o]) => o.eventId), owners.map(([, o]) => o.causeId)],
      );
    }
    const suppressed = changed(before.suppressedContacts, after.suppressedContacts);
    if (suppressed.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO ${this.table('suppressed_contacts')} (contact_key, lead_id, cause, suppressed_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
         ON CONFLICT (contact_key) DO UPDATE SET lead_id = EXCLUDED.lead_id, cause = EXCLUDED.cause, suppressed_at = EXCLUDED.suppressed_at`,
        [suppressed.map(([k]) => k), suppressed.map(([, c]) => c.leadId), suppressed.map(([, c]) => c.cause), suppressed.map(([, c]) => c.suppressedAt)],
      );
    }
  }

  /** Schedules wake-ups (each once: the id is reason, subject and instant); returns the rows it added. */
  async scheduleWakeUps(tx: Pick<Tx, 'query'>, wakeUps: readonly QueueWakeUp[], trace: Record<string, string>): Promise<PendingWakeUp[]> {
    if (wakeUps.length === 0) return [];
    const rows = await tx.query<{ wake_up_id: string; due_at: Date }>(
      `INSERT INTO ${this.table('wake_ups')} (wake_up_id, due_at, data, trace)
       SELECT w.id, w.due_at, w.data, $4::jsonb FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[]) AS w(id, due_at, data)
       ON CONFLICT (wake_up_id) DO NOTHING RETURNING wake_up_id, due_at`,
      [wakeUps.map(wakeUpIdOf), wakeUps.map((w) => w.dueAt), wakeUps.map((w) => JSON.stringify(w)), JSON.stringify(trace)],
    );
    return rows.map((r) => ({ wakeUpId: r.wake_up_id, dueAt: new Date(r.due_at) }));
  }

  /** Pending wake-ups due in [from, until) (the scheduler's refill). */
  async pendingWakeUps(sql: Pick<Tx, 'query'>, window: { from: number; until: number }): Promise<PendingWakeUp[]> {
    const rows = await sql.query<{ wake_up_id: string; due_at: Date }>(
      `SELECT wake_up_id, due_at FROM ${this.table('wake_ups')} WHERE fired_at IS NULL AND due_at >= $1 AND due_at < $2`,
      [new Date(window.from), new Date(window.until)],
    );
    return rows.map((r) => ({ wakeUpId: r.wake_up_id, dueAt: new Date(r.due_at) }));
  }

  /**
   * The live state a policy change would orphan (the dry-run of a
   * publication): leads waiting in the queue for a pool the new version
   * removes, and assigned leads whose owner it removes.
   */
  async orphansOf(sql: Pick<Tx, 'query'>, removed: { readonly pools: readonly string[]; readonly reps: readonly string[] }): Promise<PolicyOrphans> {
    const [queued, owned] = await Promise.all([
      sql.query<{ lead_id: string; pool_id: string; queued_at: Date }>(
        `SELECT q.lead_id, l.pool_id, q.queued_at FROM ${this.table('unassigned_queue')} q JOIN ${this.table('leads')} l USING (lead_id)
         WHERE l.pool_id = ANY($1::text[]) ORDER BY q.seq`,
        [removed.pools],
      ),
      sql.query<{ lead_id: string; owner_rep_id: string }>(
        `SELECT lead_id, owner_rep_id FROM ${this.table('leads')} WHERE status = 'assigned' AND owner_rep_id = ANY($1::text[]) ORDER BY owner_rep_id, lead_id`,
        [removed.reps],
      ),
    ]);
    return {
      queuedLeadsOfRemovedPools: queued.map((r) => ({ leadId: r.lead_id, poolId: r.pool_id, queuedAt: iso(r.queued_at) })),
      openLeadsOfRemovedReps: owned.map((r) => ({ leadId: r.lead_id, repId: r.owner_rep_id })),
    };
  }

  /** Claims the named wake-ups that are still pending and due (each fires once, whatever the number of instances). */
  async claimWakeUps(tx: Pick<Tx, 'query'>, ids: readonly string[], now: Date): Promise<ClaimedWakeUp[]> {
    const rows = await tx.query<{ wake_up_id: string; data: QueueWakeUp; trace: Record<string, string> }>(
      `UPDATE ${this.table('wake_ups')} SET fired_at = $2 WHERE wake_up_id = ANY($1::text[]) AND fired_at IS NULL AND due_at <= $2
       RETURNING wake_up_id, data, trace`,
      [ids, now],
    );
    return rows.map((r) => ({ wakeUpId: r.wake_up_id, data: r.data, trace: r.trace })).sort((a, b) => a.wakeUpId.localeCompare(b.wakeUpId));
  }

  /** The lead's state, status and decision log (the why endpoint), or null for a lead routing has not seen. */
  async explanation(tx: Tx, leadId: string): Promise<AssignmentExplanationRow | null> {
    const [lead] = await tx.query<{ status: string; state: LeadRoutingState; decisions: DecisionLogEntry[]; queued_at: Date | null }>(
      `SELECT l.status, l.state, l.decisions, q.queued_at
         FROM ${this.table('leads')} l LEFT JOIN ${this.table('unassigned_queue')} q USING (lead_id) WHERE l.lead_id = $1`,
      [leadId],
    );
    if (!lead) return null;
    return { status: lead.status, state: lead.state, decisions: lead.decisions, queuedAt: lead.queued_at ? iso(lead.queued_at) : null };
  }
}
