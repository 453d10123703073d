import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { EventType } from '@lead-sla/contracts';
import { autocommit, inTransaction, prepared, type Tx } from '@lead-sla/platform';
import { DATA_SOURCE } from '@lead-sla/service-runtime';
import type { ChannelName, DigestType, NotificationPayload, PlannedDelivery } from '../plan-notifications/notification-plan';
import { pendingDueRows, type PendingDueRow } from './pending-due.query';

/** A delivery claimed for an attempt. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly deliveryId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly leadId: string | null;
  readonly channel: ChannelName;
  readonly recipient: string;
  readonly address: string | null;
  readonly attempts: number;
  readonly payload: NotificationPayload;
}

/** A pending delivery as the scheduler holds it. */
export type DueDelivery = PendingDueRow;

interface ClaimedRow {
  id: string;
  delivery_id: string;
  event_id: string;
  event_type: string;
  lead_id: string | null;
  channel: ChannelName;
  recipient: string;
  address: string | null;
  attempts: number;
  payload: NotificationPayload;
}

/**
 * All SQL of the notifications edge: planned deliveries, their attempts and
 * dead letters (schema `notifications`). What runs per event batch or per
 * delivery (plan, claim, markSent) is prepared.
 */
@Injectable()
export class DeliveriesRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Stores an event's (or a digest's) planned deliveries, each due when its
   * plan says (now, or when the person's quiet hours end). The unique key
   * (event, channel, recipient) makes a redelivered or re-published event a
   * no-op. Returns the rows it added.
   */
  async plan(tx: Tx, event: { eventId: string; type: EventType | DigestType; leadId: string | null }, plan: readonly PlannedDelivery[]): Promise<DueDelivery[]> {
    if (plan.length === 0) return [];
    const rows = await prepared(tx).query<{ id: string; next_attempt_at: Date }>(
      `INSERT INTO notifications.deliveries (delivery_id, event_id, event_type, lead_id, channel, recipient, role, address, payload, next_attempt_at)
       SELECT d.delivery_id, $1, $2, $3, d.channel, d.recipient, d.role, d.address, d.payload, d.due_at
       FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::timestamptz[]) AS d(delivery_id, channel, recipient, role, address, payload, due_at)
       ON CONFLICT DO NOTHING
       RETURNING id::text, next_attempt_at`,
      [
        event.eventId, event.type, event.leadId,
        plan.map((p) => p.deliveryId), plan.map((p) => p.channel), plan.map((p) => p.recipient), plan.map((p) => p.role), plan.map((p) => p.address),
        plan.map((p) => JSON.stringify(p.payload)), plan.map((p) => p.dueAt),
      ],
    );
    return rows.map((r) => ({ id: r.id, dueAt: new Date(r.next_attempt_at).getTime() }));
  }

  /** Pending deliveries due in [from, until), and overdue ones whose lease has run out. */
  pendingDue(window: { from: number; until: number }, orphanBefore: number): Promise<DueDelivery[]> {
    return pendingDueRows(this.dataSource, 'deliveries', window, orphanBefore);
  }

  /**
   * Claims the given deliveries that are still pending, due and not claimed
   * by another instance, with a lease that runs out if this one dies
   * mid-attempt (SKIP LOCKED: two instances never claim the same row).
   */
  async claim(ids: readonly string[], now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    const rows = await inTransaction(this.dataSource, (tx) =>
      prepared(tx).query<ClaimedRow>(
        `UPDATE notifications.deliveries SET locked_until = $3
         WHERE id IN (SELECT id FROM notifications.deliveries
                      WHERE id = ANY($1::bigint[]) AND status = 'pending' AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2)
                      FOR UPDATE SKIP LOCKED)
         RETURNING id::text, delivery_id::text, event_id::text, event_type, lead_id, channel, recipient, address, attempts, payload`,
        [ids, now, leaseUntil],
      ),
    );
    return rows.map((r) => ({
      id: r.id, deliveryId: r.delivery_id, eventId: r.event_id, eventType: r.event_type, leadId: r.lead_id,
      channel: r.channel, recipient: r.recipient, address: r.address, attempts: r.attempts, payload: r.payload,
    }));
  }

  async markSent(id: string, attempts: number, at: Date): Promise<void> {
    await prepared(autocommit(this.dataSource)).execute(`UPDATE notifications.deliveries SET status = 'sent', attempts = $2, sent_at = $3, locked_until = NULL, last_error = NULL WHERE id = $1`, [id, attempts, at]);
  }

  async markRetry(id: string, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE notifications.deliveries SET attempts = $2, next_attempt_at = $3, last_error = $4, locked_until = NULL WHERE id = $1`, [id, attempts, nextAttemptAt, error]);
  }

  /**
   * Deletes up to `limit` deliveries sent before `before`; returns how many.
   * Pending ones are work and dead ones have their dead-letter record: both stay.
   */
  async pruneSent(before: Date, limit: number): Promise<number> {
    const [, removed] = (await this.dataSource.query(
      `DELETE FROM notifications.deliveries WHERE id IN (
         SELECT id FROM notifications.deliveries WHERE status = 'sent' AND sent_at < $1 LIMIT $2)`,
      [before, limit],
    )) as [unknown[], number];
    return removed;
  }

  /** Gives a delivery up: status dead and a dead-letter record, in one transaction. */
  async markDead(d: ClaimedDelivery, attempts: number, error: string): Promise<void> {
    await inTransaction(this.dataSource, async (tx) => {
      await tx.execute(`UPDATE notifications.deliveries SET status = 'dead', attempts = $2, last_error = $3, locked_until = NULL WHERE id = $1`, [d.id, attempts, error]);
      await tx.execute(
        `INSERT INTO notifications.dead_letters (delivery_id, event_id, event_type, lead_id, channel, recipient, attempts, last_error, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [d.deliveryId, d.eventId, d.eventType, d.leadId, d.channel, d.recipient, attempts, error, JSON.stringify(d.payload)],
      );
    });
  }

  async countDeadLetters(): Promise<number> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM notifications.dead_letters');
    return Number(row.n);
  }
}
