import { Injectable } from '@nestjs/common';
import type { Tx } from '@lead-sla/platform';
import { initialContactState, type ContactState } from '../domain/contact-state';

/** Something that runs SQL: a transaction, or the data source for a read outside one. */
export type Sql = Pick<Tx, 'query'>;

/** A pending time re-qualification, as the scheduler holds it. */
export interface DueEntry {
  readonly recycledEventId: string;
  readonly contactKey: string;
  readonly requalifyAt: Date;
}

/**
 * Events of a lead this service never saw created (e.g. ConsentWithdrawn
 * first) still need a state to be decided on: it lives under a key derived
 * from the lead, so the decision is kept rather than dropped.
 */
export function orphanKey(leadId: string): string {
  return `lead:${leadId}`;
}

/** The pending time triggers a state calls for: none once the contact is suppressed. */
export function pendingRequalifications(state: ContactState): Array<{ leadId: string; recycledEventId: string; requalifyAt: string }> {
  if (state.suppression) return [];
  return Object.values(state.leads).flatMap((l) =>
    l.recycled?.requalifyAt ? [{ leadId: l.leadId, recycledEventId: l.recycled.recycledEventId, requalifyAt: l.recycled.requalifyAt }] : [],
  );
}

/**
 * All Postgres I/O of the disposition service's state: the per-contact
 * ContactState, the leadId → contactKey index and the re-qualification due
 * rows. Writers lock the contact row (FOR UPDATE) first, so the consumer
 * (any partition: one contact's leads may sit on different partitions) and
 * the scheduler serialise per contact.
 */
@Injectable()
export class ContactStateRepository {
  /** The contact a lead belongs to, or null when the lead was never created here. */
  async contactKeyOf(sql: Sql, leadId: string): Promise<string | null> {
    const [row] = await sql.query<{ contact_key: string }>('SELECT contact_key FROM disposition.lead_contacts WHERE lead_id = $1', [leadId]);
    return row?.contact_key ?? null;
  }

  /** Loads the contact's state for update, creating an empty one on first sight. */
  async lock(tx: Tx, contactKey: string): Promise<ContactState> {
    await tx.execute('INSERT INTO disposition.contacts (contact_key, state) VALUES ($1, $2) ON CONFLICT (contact_key) DO NOTHING', [
      contactKey,
      JSON.stringify(initialContactState(contactKey.startsWith('lead:') ? null : contactKey)),
    ]);
    const [row] = await tx.query<{ state: ContactState }>('SELECT state FROM disposition.contacts WHERE contact_key = $1 FOR UPDATE', [contactKey]);
    return row.state;
  }

  /** The state of a lead's contact without a lock (HTTP validation); null for an unknown lead. */
  async readByLead(sql: Sql, leadId: string): Promise<ContactState | null> {
    const [row] = await sql.query<{ state: ContactState }>(
      `SELECT c.state FROM disposition.lead_contacts l JOIN disposition.contacts c ON c.contact_key = l.contact_key WHERE l.lead_id = $1`,
      [leadId],
    );
    return row?.state ?? null;
  }

  /**
   * Writes the new state, indexes its leads and brings the due rows in line
   * with it: new time triggers become pending rows, triggers the state no
   * longer holds (re-qualified by a signal, assigned, suppressed) are
   * cancelled. Returns the rows added, for the scheduler.
   */
  async save(
    tx: Tx,
    contactKey: string,
    state: ContactState,
    correlationOf: (recycledEventId: string) => string,
  ): Promise<DueEntry[]> {
    await tx.execute('UPDATE disposition.contacts SET state = $2, updated_at = now() WHERE contact_key = $1', [contactKey, JSON.stringify(state)]);
    const leadIds = Object.keys(state.leads);
    if (leadIds.length > 0) {
      await tx.execute(
        'INSERT INTO disposition.lead_contacts (lead_id, contact_key) SELECT unnest($1::text[]), $2 ON CONFLICT (lead_id) DO NOTHING',
        [leadIds, contactKey],
      );
    }
    const pending = pendingRequalifications(state);
    await tx.execute(
      `UPDATE disposition.requalify_due SET status = 'cancelled', settled_at = now()
       WHERE contact_key = $1 AND status = 'pending' AND NOT (recycled_event_id = ANY($2::uuid[]))`,
      [contactKey, pending.map((p) => p.recycledEventId)],
    );
    if (pending.length === 0) return [];
    const added = await tx.query<{ recycled_event_id: string; requalify_at: Date }>(
      `INSERT INTO disposition.requalify_due (recycled_event_id, contact_key, lead_id, requalify_at, correlation_id)
       SELECT r, $1, l, a, c FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::text[]) AS t(r, l, a, c)
       ON CONFLICT (recycled_event_id) DO NOTHING
       RETURNING recycled_event_id, requalify_at`,
      [
        contactKey,
        pending.map((p) => p.recycledEventId),
        pending.map((p) => p.leadId),
        pending.map((p) => p.requalifyAt),
        pending.map((p) => correlationOf(p.recycledEventId)),
      ],
    );
    return added.map((r) => ({ recycledEventId: r.recycled_event_id, contactKey, requalifyAt: new Date(r.requalify_at) }));
  }

  /** Pending due rows of one contact at or before `now`, with the correlation id of their recycle. */
  async dueRows(tx: Tx, contactKey: string, now: Date): Promise<Array<{ recycledEventId: string; correlationId: string }>> {
    const rows = await tx.query<{ recycled_event_id: string; correlation_id: string }>(
      `SELECT recycled_event_id, correlation_id FROM disposition.requalify_due
       WHERE contact_key = $1 AND status = 'pending' AND requalify_at <= $2`,
      [contactKey, now],
    );
    return rows.map((r) => ({ recycledEventId: r.recycled_event_id, correlationId: r.correlation_id }));
  }

  /** Marks fired rows done, only while still pending: each fires once, across restarts and instances. */
  async markDone(tx: Tx, recycledEventIds: readonly string[], now: Date): Promise<void> {
    if (recycledEventIds.length === 0) return;
    await tx.execute(
      `UPDATE disposition.requalify_due SET status = 'done', settled_at = $2 WHERE recycled_event_id = ANY($1::uuid[]) AND status = 'pending'`,
      [recycledEventIds, now],
    );
  }

  /** The near future: pending rows due before `until`, earliest first. */
  async dueBefore(sql: Sql, until: Date, limit: number): Promise<DueEntry[]> {
    const rows = await sql.query<{ recycled_event_id: string; contact_key: string; requalify_at: Date }>(
      `SELECT recycled_event_id, contact_key, requalify_at FROM disposition.requalify_due
       WHERE status = 'pending' AND requalify_at < $1 ORDER BY requalify_at LIMIT $2`,
      [until, limit],
    );
    return rows.map((r) => ({ recycledEventId: r.recycled_event_id, contactKey: r.contact_key, requalifyAt: new Date(r.requalify_at) }));
  }
}
