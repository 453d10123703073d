import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { inTransaction, type Tx } from '@lead-sla/platform';
import { DATA_SOURCE } from '@lead-sla/service-runtime';
import { pendingDueRows, type PendingDueRow } from '../deliver-notifications/pending-due.query';
import type { DigestDue, DigestKind } from './digest-schedule.rule';

/** A pending digest as the scheduler holds it. */
export type DueDigest = PendingDueRow;

/** A digest claimed for firing. */
export interface ClaimedDigest {
  readonly id: string;
  readonly key: string;
  readonly kind: DigestKind;
  /** Null: every team (an admin's company-wide review). */
  readonly teamId: string | null;
  /** The team's manager, or the admin. */
  readonly recipientId: string;
  readonly period: string;
  readonly dueAt: Date;
  readonly attempts: number;
}

interface DigestRow {
  id: string;
  digest_key: string;
  kind: DigestKind;
  team_id: string | null;
  recipient_id: string;
  period: string;
  due_at: Date;
  attempts: number;
}

/** All SQL of the digest schedule (`notifications.digests`): one row per digest per period. */
@Injectable()
export class DigestsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Adds the digests not planned yet (by key); returns the rows it added. */
  async plan(digests: readonly DigestDue[]): Promise<DueDigest[]> {
    if (digests.length === 0) return [];
    const rows: Array<{ id: string; next_attempt_at: Date }> = await this.dataSource.query(
      `INSERT INTO notifications.digests (digest_key, kind, team_id, recipient_id, period, due_at, next_attempt_at)
       SELECT d.digest_key, d.kind, d.team_id, d.recipient_id, d.period, d.due_at, d.due_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS d(digest_key, kind, team_id, recipient_id, period, due_at)
       ON CONFLICT (digest_key) DO NOTHING
       RETURNING id::text, next_attempt_at`,
      [digests.map((d) => d.key), digests.map((d) => d.kind), digests.map((d) => d.teamId), digests.map((d) => d.recipientId), digests.map((d) => d.period), digests.map((d) => new Date(d.dueAt))],
    );
    return rows.map((r) => ({ id: r.id, dueAt: new Date(r.next_attempt_at).getTime() }));
  }

  /** Pending digests due in [from, until), and overdue ones before `orphanBefore` whose lease has run out. */
  pendingDue(window: { from: number; until: number }, orphanBefore: number): Promise<DueDigest[]> {
    return pendingDueRows(this.dataSource, 'digests', window, orphanBefore);
  }

  /** Claims the given digests still pending and due, with a lease (SKIP LOCKED: one instance at a time). */
  async claim(ids: readonly string[], now: Date, leaseUntil: Date): Promise<ClaimedDigest[]> {
    const rows = await inTransaction(this.dataSource, (tx) =>
      tx.query<DigestRow>(
        `UPDATE notifications.digests SET locked_until = $3
         WHERE id IN (SELECT id FROM notifications.digests
                      WHERE id = ANY($1::bigint[]) AND status = 'pending' AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2)
                      FOR UPDATE SKIP LOCKED)
         RETURNING id::text, digest_key, kind, team_id, recipient_id, period, due_at, attempts`,
        [ids, now, leaseUntil],
      ),
    );
    return rows.map((r) => ({ id: r.id, key: r.digest_key, kind: r.kind, teamId: r.team_id, recipientId: r.recipient_id, period: r.period, dueAt: new Date(r.due_at), attempts: r.attempts }));
  }

  /**
   * Marks a digest fired and runs `withDeliveries` in the same transaction
   * (storing its deliveries): both or neither, and only while it is still
   * pending, so a digest fires once. Returns whether this call fired it.
   */
  async fire(id: string, at: Date, withDeliveries: (tx: Tx) => Promise<void>): Promise<boolean> {
    return inTransaction(this.dataSource, async (tx) => {
      const fired = await tx.query<{ id: string }>(
        `UPDATE notifications.digests SET status = 'fired', fired_at = $2, attempts = attempts + 1, locked_until = NULL, last_error = NULL
         WHERE id = $1 AND status = 'pending' RETURNING id::text`,
        [id, at],
      );
      if (fired.length === 0) return false;
      await withDeliveries(tx);
      return true;
    });
  }

  async markRetry(id: string, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE notifications.digests SET attempts = $2, next_attempt_at = $3, last_error = $4, locked_until = NULL WHERE id = $1`, [id, attempts, nextAttemptAt, error]);
  }
}
