import type { LeadEvent } from '@lead-sla/contracts';
import { partitionKeyOf, Topics } from '@lead-sla/contracts';
import type { Tx } from '@lead-sla/platform';
import type { StringHeaders } from './trace-context';

/** One message waiting in a service's outbox. */
export interface OutboxRow {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: StringHeaders;
}

export function outboxRowForEvent(event: LeadEvent, headers: StringHeaders, topic: string = Topics.leadEvents): OutboxRow {
  return {
    topic,
    key: partitionKeyOf(event),
    value: Buffer.from(JSON.stringify(event)),
    headers: { ...headers, 'event-type': event.type, 'event-id': event.eventId },
  };
}

/** Inserts rows in one statement; part of the caller's transaction. */
export async function insertOutboxRows(tx: Tx, schema: string, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(
    `INSERT INTO "${schema}".outbox (topic, key, value, headers)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::jsonb[])`,
    [rows.map((r) => r.topic), rows.map((r) => r.key), rows.map((r) => r.value), rows.map((r) => JSON.stringify(r.headers))],
  );
}
