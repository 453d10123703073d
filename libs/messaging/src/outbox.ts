import type { LeadEvent } from '@lead-sla/contracts';
import { partitionKeyOf, Topics } from '@lead-sla/contracts';
import type { DataSource } from 'typeorm';
import { inTransaction, prepared, type Tx } from '@lead-sla/platform';
import { currentTraceHeaders, type StringHeaders } from './trace-context';

/** One message waiting in a service's outbox. */
export interface OutboxRow {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: StringHeaders;
  /** An explicit partition (no key): a PolicyPublished copy. Absent: the partitioner places the message by its key. */
  readonly partition?: number;
}

export function outboxRowForEvent(event: LeadEvent, headers: StringHeaders, topic: string = Topics.leadEvents): OutboxRow {
  return {
    topic,
    key: partitionKeyOf(event),
    value: Buffer.from(JSON.stringify(event)),
    headers: { ...headers, 'event-type': event.type, 'event-id': event.eventId },
  };
}

/**
 * A keyless event written to one chosen partition: a policy version is a
 * point in every partition's order, so each partition gets its own copy.
 */
export function outboxRowForPartition(event: LeadEvent, partition: number, headers: StringHeaders, topic: string = Topics.leadEvents): OutboxRow {
  return {
    topic,
    key: null,
    partition,
    value: Buffer.from(JSON.stringify(event)),
    headers: { ...headers, 'event-type': event.type, 'event-id': event.eventId },
  };
}

/** Inserts rows in one statement; part of the caller's transaction. */
export async function insertOutboxRows(tx: Tx, schema: string, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await prepared(tx).execute(
    `INSERT INTO "${schema}".outbox (topic, key, value, headers, partition)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::jsonb[], $5::int[])`,
    [rows.map((r) => r.topic), rows.map((r) => r.key), rows.map((r) => r.value), rows.map((r) => JSON.stringify(r.headers)), rows.map((r) => r.partition ?? null)],
  );
}

/**
 * The one way code outside the consumer (HTTP commands, schedulers, the
 * ingest edge) publishes: events are written to the service's outbox in
 * the caller's transaction, with the active trace context (or the one
 * given, e.g. the causing event's for scheduled work), and the relay is
 * woken once the transaction has committed.
 */
export class OutboxWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly wakeRelay: () => void,
  ) {}

  /**
   * Runs `work` in a transaction; whatever it emits is in the outbox when it
   * commits, and the relay is woken. `emitTo` writes a keyless event to a
   * chosen partition (a PolicyPublished copy).
   */
  async transaction<T>(
    work: (tx: Tx, emit: (events: readonly LeadEvent[], headers?: StringHeaders) => void, emitTo: (event: LeadEvent, partition: number, headers?: StringHeaders) => void) => Promise<T>,
  ): Promise<T> {
    const rows: OutboxRow[] = [];
    const result = await inTransaction(this.dataSource, async (tx) => {
      const value = await work(
        tx,
        (events, headers) => rows.push(...events.map((e) => outboxRowForEvent(e, headers ?? currentTraceHeaders()))),
        (event, partition, headers) => rows.push(outboxRowForPartition(event, partition, headers ?? currentTraceHeaders())),
      );
      await insertOutboxRows(tx, this.schema, rows);
      return value;
    });
    if (rows.length > 0) this.wakeRelay();
    return result;
  }
}
