import { actorOf } from '@lead-sla/auth';
import { createHash } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { OutboxWriter } from '@lead-sla/messaging';
import type { Clock, Logger } from '@lead-sla/platform';
import { CLOCK, LOGGER } from '@lead-sla/service-runtime';
import { trace } from '@opentelemetry/api';
import type { ApiKeyRecord } from '../api-keys/api-key.repository';
import { problem } from '../http/problem';
import { INGEST_CONFIG, type IngestConfig } from '../ingest-config';
import { AcceptedEventsRepository } from './accepted-events.repository';
import { eventOfRequest, type EventRequest } from './event-request';

export interface Accepted {
  readonly status: number;
  readonly body: { status: 'accepted' | 'duplicate'; eventId: string; type: string; leadId: string | null; traceId: string | null };
  /** True when an earlier request with the same Idempotency-Key answered this. */
  readonly replayed: boolean;
}

/** JSON with sorted keys, so the same body in another key order hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(`${route}\n${canonical(body)}`).digest('hex');
}

/**
 * Accepts one event: the idempotency record, the accepted-event log and the
 * outbox row commit in one transaction, and the relay publishes the outbox
 * (DESIGN.md §3). So a retried request (same Idempotency-Key) replays the
 * stored answer and publishes nothing; a crash after the commit publishes
 * once the relay runs again; a crash before it publishes nothing.
 */
@Injectable()
export class AcceptEventService {
  constructor(
    private readonly events: AcceptedEventsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly outbox: OutboxWriter,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  async accept(request: EventRequest, apiKey: ApiKeyRecord, idempotency: { key: string; hash: string } | null): Promise<Accepted> {
    const now = this.clock.now();
    const bounds = { maxFutureSkewMs: this.config.INGEST_MAX_FUTURE_SKEW_MS, maxBackdateHours: this.config.INGEST_MAX_BACKDATE_HOURS, backfill: apiKey.scopes.includes('backfill') };
    const actor = actorOf({ kind: 'api_key', id: apiKey.id, scopes: apiKey.scopes });
    const built = eventOfRequest(request, { now, apiKeyId: apiKey.id, actor, idempotencyKey: idempotency?.key ?? null, bounds });
    if (!built.ok) throw problem(HttpStatus.BAD_REQUEST, 'invalid_event', built.message, built.fields);
    const { event } = built;
    const traceId = trace.getActiveSpan()?.spanContext().traceId ?? null;
    const fresh: Accepted = { status: HttpStatus.ACCEPTED, body: { status: 'accepted', eventId: event.eventId, type: event.type, leadId: event.leadId, traceId }, replayed: false };

    const result = await this.outbox.transaction(async (tx, emit): Promise<Accepted> => {
      if (idempotency && !(await this.events.claimIdempotencyKey(tx, apiKey.id, idempotency.key, idempotency.hash, { status: fresh.status, response: fresh.body }))) {
        // The unique key makes a concurrent twin wait for the first commit, then land here.
        const earlier = await this.events.storedAnswer<Accepted['body']>(tx, apiKey.id, idempotency.key);
        if (earlier.requestHash !== idempotency.hash) {
          throw problem(HttpStatus.CONFLICT, 'idempotency_key_reused', `Idempotency-Key "${idempotency.key}" was already used with a different request body; use a new key for a new request`, ['Idempotency-Key']);
        }
        return { status: earlier.status, body: earlier.response, replayed: true };
      }
      const first = await this.events.recordAccepted(tx, { eventId: event.eventId, type: event.type, leadId: event.leadId, apiKeyId: apiKey.id, traceId, at: now });
      // The same event id again (a client retrying without a key): already published once.
      if (!first) return { ...fresh, status: HttpStatus.OK, body: { ...fresh.body, status: 'duplicate' } };
      emit([event]);
      return fresh;
    });
    if (!result.replayed && result.body.status === 'accepted') {
      this.logger.info('event accepted', { eventType: event.type, eventId: event.eventId, leadId: event.leadId, apiKeyId: apiKey.id });
    }
    return result;
  }

  find(eventId: string) {
    return this.events.find(eventId);
  }
}
