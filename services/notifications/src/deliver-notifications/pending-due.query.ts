import type { DataSource } from 'typeorm';

/** A pending row (a delivery or a digest) as a scheduler holds it: its id and when it is due (ms). */
export interface PendingDueRow {
  readonly id: string;
  readonly dueAt: number;
}

/**
 * The pending rows of `notifications.deliveries` or `notifications.digests`
 * (the same lease columns) due in [from, until), and overdue ones before
 * `orphanBefore` whose lease has run out (claimed by an instance that died
 * before recording the outcome).
 */
export async function pendingDueRows(dataSource: DataSource, table: 'deliveries' | 'digests', window: { from: number; until: number }, orphanBefore: number): Promise<PendingDueRow[]> {
  const rows: Array<{ id: string; next_attempt_at: Date }> = await dataSource.query(
    `SELECT id::text, next_attempt_at FROM notifications.${table}
     WHERE status = 'pending' AND (locked_until IS NULL OR locked_until < now())
       AND ((next_attempt_at >= $1 AND next_attempt_at < $2) OR next_attempt_at < $3)`,
    [new Date(window.from), new Date(window.until), new Date(orphanBefore)],
  );
  return rows.map((r) => ({ id: r.id, dueAt: new Date(r.next_attempt_at).getTime() }));
}
