import { Inject, Injectable, Optional } from '@nestjs/common';
import { prepared, type Tx } from '@lead-sla/platform';
import type { ScheduledRow } from '@lead-sla/scheduler';
import type { TimerChanges } from '../domain/timer-changes.util';
import { initialTimerState, type DeadlineRow, type LeadTimerState, type TimerState, type TraceContext } from '../domain/timer-state';

/** The schema the repository works in; bound only to target another one (a replay's shadow schema, a test's own). */
export const TIMER_SCHEMA = Symbol('TimerSchema');

/** A deadline claimed for firing. */
export interface ClaimedDeadline {
  readonly deadlineId: string;
  readonly leadId: string;
  readonly partition: number;
  readonly clock: string;
  readonly dueAt: number;
  readonly trace: TraceContext;
}

/** A pending deadline's partition and due time, to check its partition's watermark before firing it. */
export interface PendingDeadline {
  readonly deadlineId: string;
  readonly partition: number;
  readonly clock: string;
  readonly dueAt: number;
}

/** Where a new deadline row goes: the partition whose owner fires it, and the trace context what it fires continues. */
export interface RowPlacement {
  readonly partition: number;
  readonly trace: TraceContext;
}

/**
 * All SQL of the timer's state: one JSON row per lead (timer.lead_timers)
 * and the pending deadlines derived from it (timer.deadlines, DESIGN.md §4:
 * deadlines are rows). Every method but countPending runs in the caller's
 * transaction; statements are multi-row, and those of every batch are
 * prepared (their text is constant per schema).
 */
@Injectable()
export class TimerStateRepository {
  constructor(@Optional() @Inject(TIMER_SCHEMA) readonly schema: string = 'timer') {}

  private get t(): { timers: string; deadlines: string } {
    return { timers: `"${this.schema}".lead_timers`, deadlines: `"${this.schema}".deadlines` };
  }

  /**
   * Loads and locks the leads' state rows (missing leads start empty). The
   * row lock serialises the consumer and the scheduler on one lead; sorted
   * ids keep concurrent batches from locking in opposite orders.
   */
  async lockStates(tx: Tx, leadIds: readonly string[]): Promise<Map<string, LeadTimerState>> {
    const ids = [...new Set(leadIds)].sort();
    const rows = await prepared(tx).query<{ lead_id: string; state: LeadTimerState }>(
      `SELECT lead_id, state FROM ${this.t.timers} WHERE lead_id = ANY($1::text[]) ORDER BY lead_id FOR UPDATE`,
      [ids],
    );
    const states = new Map(rows.map((r) => [r.lead_id, r.state]));
    for (const id of ids) if (!states.has(id)) states.set(id, initialTimerState(id));
    return states;
  }

  /**
   * Writes a batch's changes: the changed states, the deadlines that appeared
   * (idempotent by their deterministic id) with their placement, and the
   * cancellation of those that disappeared while still pending. Returns the
   * inserted rows, for the scheduler.
   */
  async write(tx: Tx, changes: TimerChanges, placeOf: (row: DeadlineRow) => RowPlacement): Promise<ScheduledRow[]> {
    const { states, inserted, cancelled } = changes;
    if (states.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO ${this.t.timers} (lead_id, state) SELECT * FROM unnest($1::text[], $2::jsonb[])
         ON CONFLICT (lead_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
        [states.map((s) => s.leadId), states.map((s) => JSON.stringify(s))],
      );
    }
    if (cancelled.length > 0) {
      await prepared(tx).execute(`UPDATE ${this.t.deadlines} SET status = 'cancelled' WHERE id = ANY($1::text[]) AND status = 'pending'`, [cancelled]);
    }
    if (inserted.length === 0) return [];
    const placed = inserted.map((r) => ({ row: r, ...placeOf(r) }));
    await prepared(tx).execute(
      `INSERT INTO ${this.t.deadlines} (id, lead_id, partition, clock, kind, step, due_at, payload, cause_event_id, trace_context)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::jsonb[], $9::text[], $10::jsonb[])
       ON CONFLICT (id) DO NOTHING`,
      [
        placed.map((p) => p.row.deadlineId),
        placed.map((p) => p.row.leadId),
        placed.map((p) => p.partition),
        placed.map((p) => p.row.clock),
        placed.map((p) => p.row.kind),
        placed.map((p) => p.row.step),
        placed.map((p) => p.row.dueAt),
        placed.map((p) => JSON.stringify(p.row)),
        placed.map((p) => p.row.causationId),
        placed.map((p) => JSON.stringify(p.trace)),
      ],
    );
    return placed.map((p) => ({ id: p.row.deadlineId, dueAt: Date.parse(p.row.dueAt), partition: p.partition }));
  }

  /** Locks the state rows of the leads whose deadlines are still pending among `ids` (before claiming them). */
  async lockStatesOfDeadlines(tx: Tx, ids: readonly string[]): Promise<TimerState> {
    const rows = await prepared(tx).query<{ lead_id: string; state: LeadTimerState }>(
      `SELECT lead_id, state FROM ${this.t.timers}
       WHERE lead_id IN (SELECT lead_id FROM ${this.t.deadlines} WHERE id = ANY($1::text[]) AND status = 'pending')
       ORDER BY lead_id FOR UPDATE`,
      [ids],
    );
    return new Map(rows.map((r) => [r.lead_id, r.state]));
  }

  /**
   * Marks the deadlines fired, only those still pending: the row's status is
   * what makes a deadline fire once across restarts and instances. Returned
   * in due order.
   */
  async claimDue(tx: Tx, ids: readonly string[], firedAt: Date): Promise<ClaimedDeadline[]> {
    const rows = await prepared(tx).query<{ id: string; lead_id: string; partition: number; clock: string; due_at: Date; step: number; trace_context: TraceContext }>(
      `UPDATE ${this.t.deadlines} SET status = 'fired', fired_at = $2 WHERE id = ANY($1::text[]) AND status = 'pending'
       RETURNING id, lead_id, partition, clock, due_at, step, trace_context`,
      [ids, firedAt],
    );
    return rows
      .sort((a, b) => a.due_at.getTime() - b.due_at.getTime() || a.step - b.step)
      .map((r) => ({ deadlineId: r.id, leadId: r.lead_id, partition: r.partition, clock: r.clock, dueAt: r.due_at.getTime(), trace: r.trace_context }));
  }

  /** Pending deadlines of the owned partitions due in [from, until), and of any partition when due before `orphanBefore`. */
  async pendingDue(tx: Tx, partitions: readonly number[], window: { from: number; until: number }, orphanBefore: number): Promise<ScheduledRow[]> {
    const rows = await prepared(tx).query<{ id: string; due_at: Date; partition: number }>(
      `SELECT id, due_at, partition FROM ${this.t.deadlines} WHERE status = 'pending' AND partition = ANY($1::int[]) AND due_at >= $2 AND due_at < $3
       UNION
       SELECT id, due_at, partition FROM ${this.t.deadlines} WHERE status = 'pending' AND due_at < $4`,
      [partitions, new Date(window.from), new Date(window.until), new Date(orphanBefore)],
    );
    return rows.map((r) => ({ id: r.id, dueAt: r.due_at.getTime(), partition: r.partition }));
  }

  /** Those of `ids` still pending, with their partition and due time. */
  async pendingAmong(tx: Tx, ids: readonly string[]): Promise<PendingDeadline[]> {
    const rows = await prepared(tx).query<{ id: string; partition: number; clock: string; due_at: Date }>(
      `SELECT id, partition, clock, due_at FROM ${this.t.deadlines} WHERE id = ANY($1::text[]) AND status = 'pending'`,
      [ids],
    );
    return rows.map((r) => ({ deadlineId: r.id, partition: r.partition, clock: r.clock, dueAt: r.due_at.getTime() }));
  }

  /**
   * The timer's applied offset per partition of `topic` (the next offset its
   * consumer will apply, stored in the same transaction as what it applied,
   * DESIGN.md §3). Only ever grows, so a value read outside a transaction
   * stays true.
   */
  async appliedOffsets(tx: Tx, groupId: string, topic: string): Promise<Map<number, bigint>> {
    const rows = await prepared(tx).query<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset::text AS next_offset FROM "${this.schema}".consumer_offsets WHERE group_id = $1 AND topic = $2`,
      [groupId, topic],
    );
    return new Map(rows.map((r) => [Number(r.partition), BigInt(r.next_offset)]));
  }

  /**
   * Deletes up to `limit` fired or cancelled rows finished before `before`,
   * only of leads with no pending deadline (a lead whose clocks are all
   * finished); returns how many. Pending rows are state and never pruned;
   * the lead's state row (lead_timers) stays the truth of what fired.
   */
  async pruneFinished(tx: Tx, before: Date, limit: number): Promise<number> {
    return tx.execute(
      `DELETE FROM ${this.t.deadlines} WHERE id IN (
         SELECT d.id FROM ${this.t.deadlines} d
         WHERE d.status <> 'pending' AND COALESCE(d.fired_at, d.created_at) < $1
           AND NOT EXISTS (SELECT 1 FROM ${this.t.deadlines} p WHERE p.lead_id = d.lead_id AND p.status = 'pending')
         LIMIT $2)`,
      [before, limit],
    );
  }

  /** Deadlines stored and neither fired nor cancelled (the lead_sla_pending_deadlines gauge). */
  async countPending(db: { query(sql: string): Promise<Array<{ n: number }>> }): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM ${this.t.deadlines} WHERE status = 'pending'`);
    return row.n;
  }
}
