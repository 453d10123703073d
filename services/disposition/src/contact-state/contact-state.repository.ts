import { Inject, Injectable, Optional } from '@nestjs/common';
import { prepared, type Tx } from '@lead-sla/platform';
import { initialContactState, type ContactState } from '../domain/contact-state';
import { dispositionStateOf, type DispositionState } from '../domain/disposition-state';
import { pendingRequalifications } from '../recycle-lead/recycle-lead.decider';

/** Something that runs SQL: a transaction, or the data source for a read outside one. */
export type Sql = Pick<Tx, 'query'>;

/** The schema the repository reads and writes; `disposition` unless given (a replay targets a shadow schema). */
export const DISPOSITION_SCHEMA = Symbol('DispositionSchema');

/** A pending time re-qualification, as the scheduler holds it. */
export interface DueEntry {
  readonly recycledEventId: string;
  readonly contactKey: string;
  readonly requalifyAt: Date;
}

/** What a batch needs loaded: the contacts of these leads and these contact keys (a LeadCreated's contact). */
export interface ContactsWanted {
  readonly leadIds: readonly string[];
  readonly contactKeys: readonly string[];
}

/**
 * All Postgres I/O of the disposition service: the per-contact ContactState
 * (JSON), the leadId → contactKey index, the re-qualification due rows and
 * the Idempotency-Key record of HTTP commands. Writers lock the contact rows
 * (FOR UPDATE, in contact-key order) first, so the consumer (any partition:
 * one contact's leads may sit on different partitions) and the scheduler
 * serialise per contact. The statements of every batch (load, save, the
 * scheduler's firing) are prepared: their text is constant per schema.
 */
@Injectable()
export class ContactStateRepository {
  constructor(@Optional() @Inject(DISPOSITION_SCHEMA) readonly schema: string = 'disposition') {}

  private get s(): string {
    return `"${this.schema}"`;
  }

  /**
   * Locks and loads the contacts of a batch: the contact of every known
   * lead, the orphan state of every unknown one, and the named contacts. A
   * named contact without a row gets an empty one first, so two partitions
   * creating leads of one new contact still serialise on its row.
   */
  async load(tx: Tx, wanted: ContactsWanted): Promise<DispositionState> {
    const named = [...new Set(wanted.contactKeys)].sort();
    if (named.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO ${this.s}.contacts (contact_key, state) SELECT * FROM unnest($1::text[], $2::jsonb[]) ON CONFLICT (contact_key) DO NOTHING`,
        [named, named.map((k) => JSON.stringify(initialContactState(k)))],
      );
    }
    const rows = await prepared(tx).query<{ contact_key: string; state: ContactState }>(
      `WITH leads AS (
         SELECT l.id, lc.contact_key FROM unnest($1::text[]) AS l(id) LEFT JOIN ${this.s}.lead_contacts lc ON lc.lead_id = l.id
       ), keys AS (
         SELECT contact_key FROM leads WHERE contact_key IS NOT NULL
         UNION SELECT 'lead:' || id FROM leads WHERE contact_key IS NULL
         UNION SELECT unnest($2::text[])
       )
       SELECT c.contact_key, c.state FROM ${this.s}.contacts c WHERE c.contact_key IN (SELECT contact_key FROM keys)
       ORDER BY c.contact_key FOR UPDATE OF c`,
      [[...new Set(wanted.leadIds)], named],
    );
    return dispositionStateOf(
      rows.map((r) => r.state),
      rows.map((r) => r.contact_key),
    );
  }

  /** The state of a lead's contact without a lock (HTTP validation); null for an unknown lead. */
  async readByLead(sql: Sql, leadId: string): Promise<ContactState | null> {
    const [row] = await sql.query<{ state: ContactState }>(
      `SELECT c.state FROM ${this.s}.lead_contacts l JOIN ${this.s}.contacts c ON c.contact_key = l.contact_key WHERE l.lead_id = $1`,
      [leadId],
    );
    return row?.state ?? null;
  }

  /**
   * Writes the contacts that changed between `before` and `after`, indexes
   * their new leads and brings their due rows in line: new time triggers
   * become pending rows, triggers the state no longer holds (re-qualified by
   * a signal, assigned, suppressed) are cancelled. Multi-row statements;
   * returns the due rows added, for the scheduler.
   */
  async save(tx: Tx, before: DispositionState, after: DispositionState, traceOf: (recycledEventId: string) => Record<string, string> = () => ({})): Promise<DueEntry[]> {
    const changed = Object.keys(after.contacts).filter((k) => after.contacts[k] !== before.contacts[k]);
    if (changed.length === 0) return [];
    await prepared(tx).execute(
      `INSERT INTO ${this.s}.contacts (contact_key, state) SELECT * FROM unnest($1::text[], $2::jsonb[])
       ON CONFLICT (contact_key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
      [changed, changed.map((k) => JSON.stringify(after.contacts[k]))],
    );
    const newLeads = Object.keys(after.leadContacts).filter((leadId) => before.leadContacts[leadId] === undefined);
    if (newLeads.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO ${this.s}.lead_contacts (lead_id, contact_key) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (lead_id) DO NOTHING`,
        [newLeads, newLeads.map((leadId) => after.leadContacts[leadId])],
      );
    }
    const pending = changed.flatMap((contactKey) => pendingRequalifications(after.contacts[contactKey]).map((p) => ({ ...p, contactKey })));
    await prepared(tx).execute(
      `UPDATE ${this.s}.requalify_due SET status = 'cancelled', settled_at = now()
       WHERE contact_key = ANY($1::text[]) AND status = 'pending' AND NOT (recycled_event_id = ANY($2::uuid[]))`,
      [changed, pending.map((p) => p.recycledEventId)],
    );
    if (pending.length === 0) return [];
    const added = await prepared(tx).query<{ recycled_event_id: string; contact_key: string; requalify_at: Date }>(
      `INSERT INTO ${this.s}.requalify_due (recycled_event_id, contact_key, lead_id, requalify_at, correlation_id, trace_context)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::jsonb[])
       ON CONFLICT (recycled_event_id) DO NOTHING
       RETURNING recycled_event_id, contact_key, requalify_at`,
      [
        pending.map((p) => p.recycledEventId),
        pending.map((p) => p.contactKey),
        pending.map((p) => p.leadId),
        pending.map((p) => p.requalifyAt),
        pending.map((p) => p.correlationId),
        pending.map((p) => JSON.stringify(traceOf(p.recycledEventId))),
      ],
    );
    return added.map((r) => ({ recycledEventId: r.recycled_event_id, contactKey: r.contact_key, requalifyAt: new Date(r.requalify_at) }));
  }

  /**
   * The contacts of the given due rows that are still pending and due at
   * `now` (another instance may have fired them, a signal may have
   * cancelled them), in key order: the order their rows are locked in.
   */
  async dueContacts(tx: Tx, recycledEventIds: readonly string[], now: Date): Promise<string[]> {
    const rows = await prepared(tx).query<{ contact_key: string }>(
      `SELECT DISTINCT contact_key FROM ${this.s}.requalify_due
       WHERE recycled_event_id = ANY($1::uuid[]) AND status = 'pending' AND requalify_at <= $2 ORDER BY contact_key`,
      [recycledEventIds, now],
    );
    return rows.map((r) => r.contact_key);
  }

  /** Pending due rows of one contact at or before `now`, with the trace context of the recycle that scheduled each. */
  async dueRows(tx: Tx, contactKey: string, now: Date): Promise<Array<{ recycledEventId: string; trace: Record<string, string> }>> {
    const rows = await prepared(tx).query<{ recycled_event_id: string; trace_context: Record<string, string> }>(
      `SELECT recycled_event_id, trace_context FROM ${this.s}.requalify_due
       WHERE contact_key = $1 AND status = 'pending' AND requalify_at <= $2`,
      [contactKey, now],
    );
    return rows.map((r) => ({ recycledEventId: r.recycled_event_id, trace: r.trace_context }));
  }

  /** Marks fired rows done, only while still pending: each fires once, across restarts and instances. */
  async markDone(tx: Tx, recycledEventIds: readonly string[], now: Date): Promise<void> {
    if (recycledEventIds.length === 0) return;
    await prepared(tx).execute(
      `UPDATE ${this.s}.requalify_due SET status = 'done', settled_at = $2 WHERE recycled_event_id = ANY($1::uuid[]) AND status = 'pending'`,
      [recycledEventIds, now],
    );
  }

  /** The scheduler's refill: pending rows due in [from, until) (re-qualification rows are not split by partition). */
  async pendingDue(sql: Sql, window: { from: number; until: number }): Promise<DueEntry[]> {
    const rows = await sql.query<{ recycled_event_id: string; contact_key: string; requalify_at: Date }>(
      `SELECT recycled_event_id, contact_key, requalify_at FROM ${this.s}.requalify_due
       WHERE status = 'pending' AND requalify_at >= $1 AND requalify_at < $2`,
      [new Date(window.from), new Date(window.until)],
    );
    return rows.map((r) => ({ recycledEventId: r.recycled_event_id, contactKey: r.contact_key, requalifyAt: new Date(r.requalify_at) }));
  }

  /** Whether an HTTP command with this (Idempotency-Key derived) event id was already published. */
  async commandSeen(sql: Sql, eventId: string): Promise<boolean> {
    const rows = await sql.query(`SELECT 1 FROM ${this.s}.http_commands WHERE event_id = $1`, [eventId]);
    return rows.length > 0;
  }

  /** Records an HTTP command's event id; false when a concurrent request already claimed it. */
  async claimCommand(tx: Tx, eventId: string, type: string, leadId: string): Promise<boolean> {
    const claimed = await tx.execute(
      `INSERT INTO ${this.s}.http_commands (event_id, type, lead_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [eventId, type, leadId],
    );
    return claimed > 0;
  }
}
