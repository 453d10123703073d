import type { Tx } from '@lead-sla/platform';
import { initialTimerState, type DeadlineRow, type LeadTimerState, type StoredDeadline } from '../domain/timer-state';

/**
 * All SQL of the timer: per-lead state rows and deadline rows in schema
 * `timer`. Every function runs inside the caller's transaction.
 */
export const timerStore = {
  /**
   * Loads and locks the leads' state rows (missing leads start empty). The
   * row lock serialises the consumer and the scheduler on one lead; sorted
   * ids keep concurrent batches from locking in opposite orders.
   */
  async lockStates(tx: Tx, leadIds: readonly string[]): Promise<Map<string, LeadTimerState>> {
    const ids = [...new Set(leadIds)].sort();
    const rows = await tx.query<{ lead_id: string; state: LeadTimerState }>(
      'SELECT lead_id, state FROM timer.lead_timers WHERE lead_id = ANY($1::text[]) ORDER BY lead_id FOR UPDATE',
      [ids],
    );
    const states = new Map(rows.map((r) => [r.lead_id, r.state]));
    for (const id of ids) if (!states.has(id)) states.set(id, initialTimerState(id));
    return states;
  },

  /** Deadlines stored and not fired or cancelled (the lead_sla_pending_deadlines gauge). */
  async countPending(dataSource: { query(sql: string): Promise<Array<{ n: number }>> }): Promise<number> {
    const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM timer.deadlines WHERE status = 'pending'`);
    return row.n;
  },

  async saveStates(tx: Tx, states: readonly LeadTimerState[]): Promise<void> {
    if (states.length === 0) return;
    await tx.execute(
      `INSERT INTO timer.lead_timers (lead_id, state) SELECT * FROM unnest($1::text[], $2::jsonb[])
       ON CONFLICT (lead_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
      [states.map((s) => s.leadId), states.map((s) => JSON.stringify(s))],
    );
  },

  /** Idempotent by the deterministic deadline id: a replayed event schedules nothing new. */
  async insertDeadlines(tx: Tx, deadlines: readonly StoredDeadline[]): Promise<void> {
    if (deadlines.length === 0) return;
    const rows = deadlines.map((d) => d.row);
    await tx.execute(
      `INSERT INTO timer.deadlines (id, lead_id, partition, clock, kind, step, due_at, payload, cause_event_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::jsonb[], $9::text[])
       ON CONFLICT (id) DO NOTHING`,
      [
        rows.map((r) => r.deadlineId),
        rows.map((r) => r.leadId),
        deadlines.map((d) => d.partition),
        rows.map((r) => r.clock),
        rows.map((r) => r.kind),
        rows.map((r) => r.step),
        rows.map((r) => r.dueAt),
        rows.map((r) => JSON.stringify(r)),
        rows.map((r) => r.causationId),
      ],
    );
  },

  async cancelDeadlines(tx: Tx, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.execute(`UPDATE timer.deadlines SET status = 'cancelled' WHERE id = ANY($1::text[]) AND status = 'pending'`, [ids]);
  },

  /** Locks the state rows of the leads whose deadlines are still pending among `ids` (one round trip before claiming). */
  async lockStatesOfDeadlines(tx: Tx, ids: readonly string[]): Promise<Map<string, LeadTimerState>> {
    const rows = await tx.query<{ lead_id: string; state: LeadTimerState }>(
      `SELECT lead_id, state FROM timer.lead_timers
       WHERE lead_id IN (SELECT lead_id FROM timer.deadlines WHERE id = ANY($1::text[]) AND status = 'pending')
       ORDER BY lead_id FOR UPDATE`,
      [ids],
    );
    return new Map(rows.map((r) => [r.lead_id, r.state]));
  },

  /**
   * Marks the deadlines fired, only those still pending: the row's status is
   * what makes a deadline fire once across restarts and instances.
   */
  async claimDue(tx: Tx, ids: readonly string[], firedAt: Date): Promise<StoredDeadline[]> {
    const rows = await tx.query<{ partition: number; payload: DeadlineRow }>(
      `UPDATE timer.deadlines SET status = 'fired', fired_at = $2 WHERE id = ANY($1::text[]) AND status = 'pending'
       RETURNING partition, payload`,
      [ids, firedAt],
    );
    return rows
      .map((r) => ({ row: r.payload, partition: r.partition }))
      .sort((a, b) => Date.parse(a.row.dueAt) - Date.parse(b.row.dueAt) || a.row.step - b.row.step);
  },

  /**
   * Pending deadlines of the owned partitions due in [from, until), and of
   * any partition when overdue before `orphanBefore`.
   */
  async pendingDue(
    tx: Tx,
    partitions: readonly number[],
    window: { from: number; until: number },
    orphanBefore: Date,
  ): Promise<Array<{ id: string; dueAt: number; partition: number }>> {
    const rows = await tx.query<{ id: string; due_at: Date; partition: number }>(
      `SELECT id, due_at, partition FROM timer.deadlines WHERE status = 'pending' AND partition = ANY($1::int[]) AND due_at >= $2 AND due_at < $3
       UNION
       SELECT id, due_at, partition FROM timer.deadlines WHERE status = 'pending' AND due_at < $4`,
      [partitions, new Date(window.from), new Date(window.until), orphanBefore],
    );
    return rows.map((r) => ({ id: r.id, dueAt: r.due_at.getTime(), partition: r.partition }));
  },
};
