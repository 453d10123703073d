import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Tx } from '@lead-sla/platform';
import { DATA_SOURCE } from '@lead-sla/service-runtime';

/** An answer stored under an Idempotency-Key. */
export interface StoredAnswer<B> {
  readonly requestHash: string;
  readonly status: number;
  readonly response: B;
}

/** What ingest knows of an accepted event (GET /v1/events/:id). */
export interface AcceptedEventRecord {
  readonly eventId: string;
  readonly type: string;
  readonly leadId: string | null;
  readonly apiKeyId: string;
  readonly traceId: string | null;
  readonly acceptedAt: Date;
  readonly published: boolean;
}

/** All SQL of ingest's accepted events and idempotency records (schema `ingest`). */
@Injectable()
export class AcceptedEventsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Claims the key for this request; false when another request holds it already. */
  async claimIdempotencyKey(tx: Tx, apiKeyId: string, key: string, requestHash: string, answer: { status: number; response: unknown }): Promise<boolean> {
    const claimed = await tx.query(
      `INSERT INTO ingest.idempotency_keys (api_key_id, idempotency_key, request_hash, status, response) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [apiKeyId, key, requestHash, answer.status, JSON.stringify(answer.response)],
    );
    return claimed.length > 0;
  }

  async storedAnswer<B>(tx: Tx, apiKeyId: string, key: string): Promise<StoredAnswer<B>> {
    const [row] = await tx.query<{ request_hash: string; status: number; response: B }>(
      `SELECT request_hash, status, response FROM ingest.idempotency_keys WHERE api_key_id = $1 AND idempotency_key = $2`,
      [apiKeyId, key],
    );
    return { requestHash: row.request_hash, status: row.status, response: row.response };
  }

  /** Records the event id; false when it was accepted before (a client retrying without a key). */
  async recordAccepted(tx: Tx, e: { eventId: string; type: string; leadId: string | null; apiKeyId: string; traceId: string | null; at: Date }): Promise<boolean> {
    const first = await tx.query(
      `INSERT INTO ingest.accepted_events (event_id, type, lead_id, api_key_id, trace_id, accepted_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (event_id) DO NOTHING RETURNING 1`,
      [e.eventId, e.type, e.leadId, e.apiKeyId, e.traceId, e.at],
    );
    return first.length > 0;
  }

  async find(eventId: string): Promise<AcceptedEventRecord | null> {
    const rows = await this.dataSource.query(
      `SELECT a.event_id::text AS "eventId", a.type, a.lead_id AS "leadId", a.api_key_id AS "apiKeyId", a.trace_id AS "traceId", a.accepted_at AS "acceptedAt",
              NOT EXISTS (SELECT 1 FROM ingest.outbox o WHERE o.headers->>'event-id' = a.event_id::text) AS published
       FROM ingest.accepted_events a WHERE a.event_id = $1`,
      [eventId],
    );
    return rows[0] ?? null;
  }

  /** Forgets idempotency records created before `before`; returns how many. */
  /** Deletes up to `limit` accepted-event records older than `before` (already published); returns how many. */
  async pruneAccepted(before: Date, limit: number): Promise<number> {
    const [, removed] = (await this.dataSource.query(
      `DELETE FROM ingest.accepted_events WHERE event_id IN (
         SELECT event_id FROM ingest.accepted_events a WHERE a.accepted_at < $1
           AND NOT EXISTS (SELECT 1 FROM ingest.outbox o WHERE o.headers->>'event-id' = a.event_id::text)
         LIMIT $2)`,
      [before, limit],
    )) as [unknown[], number];
    return removed;
  }

  async pruneIdempotencyKeys(before: Date): Promise<number> {
    const [, removed] = (await this.dataSource.query(`DELETE FROM ingest.idempotency_keys WHERE created_at < $1`, [before])) as [unknown[], number];
    return removed;
  }
}
