import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { carriesActor, deterministicId, EventCatalogue, isEventType, parseEvent, type Actor, type EventType, type LeadEvent } from '@lead-sla/contracts';

/** The events an outside system may publish (the catalogue's `external` producer). */
export const PublicEventTypes = (Object.keys(EventCatalogue) as EventType[]).filter((t) => EventCatalogue[t].producer === 'external');

/**
 * What a client sends: the event's type and data plus optional envelope
 * fields; ingest fills in the rest (ids, times) so simple clients need not.
 */
export const EventRequest = z
  .object({
    type: z.string().min(1),
    version: z.number().int().positive().optional(),
    eventId: z.uuid().optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    leadId: z.string().min(1).max(200).nullable().optional(),
    correlationId: z.string().min(1).max(200).optional(),
    causationId: z.string().min(1).max(200).nullable().optional(),
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
export type EventRequest = z.infer<typeof EventRequest>;

/** Facts about a rep rather than a lead: keyed by repId, no leadId. */
const RepFacts: readonly EventType[] = ['RepAvailabilityChanged', 'RepReinstated'];

/** How far `occurredAt` may stray from ingest's clock (INGEST_MAX_FUTURE_SKEW_MS, INGEST_MAX_BACKDATE_HOURS). */
export interface OccurredAtBounds {
  readonly maxFutureSkewMs: number;
  readonly maxBackdateHours: number;
  /** The key has the `backfill` scope: no lower bound. */
  readonly backfill: boolean;
}

export interface RequestContext {
  readonly now: Date;
  readonly apiKeyId: string;
  /** The verified key, written as the `actor` of a command (a disposition, accept, reject, reinstatement). */
  readonly actor: Actor;
  readonly idempotencyKey: string | null;
  readonly bounds: OccurredAtBounds;
}

export type BuildResult = { ok: true; event: LeadEvent } | { ok: false; message: string; fields: string[] };

/** Fields named in a parseEvent message ("LeadCreated v2 invalid: data.contact: …; data.x: …"). */
function fieldsOf(message: string): string[] {
  const body = message.replace(/^[^:]*invalid(?: envelope)?: /, '');
  return body.split('; ').flatMap((part) => {
    const m = /^([\w.()-]+): /.exec(part);
    return m ? [m[1]] : [];
  });
}

/**
 * The platform derives the ids of its own events (deterministicId: version-5,
 * name-based UUIDs), so they are predictable: a client that published one
 * first would make every consumer drop the platform's real event as a
 * duplicate. Client-chosen ids are therefore taken as they are (a client
 * can look its event up and follow it by its own id) but never version 5;
 * ingest's own ids are v5 only when derived from an Idempotency-Key.
 */
function clientEventIdProblem(eventId: string | undefined): string | null {
  if (eventId === undefined || eventId[14] !== '5') return null;
  return `eventId: "${eventId}" is a version-5 (name-based) UUID, the kind the platform derives for its own events; send a random (v4) or time-ordered (v7) UUID, or leave eventId out and send an Idempotency-Key`;
}

/**
 * Turns a request into a full event and validates it with the same
 * contracts the consumers use (parseEvent): a request ingest accepts is
 * one every service accepts. Pure: ids and time are passed in.
 */
export function eventOfRequest(request: EventRequest, context: RequestContext): BuildResult {
  if (!isEventType(request.type) || !PublicEventTypes.includes(request.type)) {
    return { ok: false, message: `type: "${request.type}" is not an event ingest accepts (one of: ${PublicEventTypes.join(', ')})`, fields: ['type'] };
  }
  const leadId = request.leadId ?? null;
  const idProblem = clientEventIdProblem(request.eventId);
  if (idProblem) return { ok: false, message: idProblem, fields: ['eventId'] };
  if (carriesActor(request.type) && 'actor' in request.data) {
    return { ok: false, message: 'data.actor: ingest sets who sent a command from the API key; leave actor out', fields: ['data.actor'] };
  }
  const version = request.version ?? EventCatalogue[request.type].current;
  // v1 commands have no actor (the upcast sets null and it is replaced below); later versions get the key's.
  const data = carriesActor(request.type) && version >= 2 ? { ...request.data, actor: context.actor } : request.data;
  const eventId = request.eventId ?? (context.idempotencyKey ? deterministicId('ingest', context.apiKeyId, context.idempotencyKey) : randomUUID());
  const raw = {
    type: request.type,
    version,
    eventId,
    occurredAt: request.occurredAt ?? context.now.toISOString(),
    recordedAt: context.now.toISOString(),
    leadId,
    correlationId: request.correlationId ?? leadId ?? eventId,
    causationId: request.causationId ?? null,
    data,
  };
  const parsed = parseEvent(raw);
  if (!parsed.ok) return { ok: false, message: parsed.error, fields: fieldsOf(parsed.error) };
  const event = carriesActor(parsed.event.type) ? ({ ...parsed.event, data: { ...parsed.event.data, actor: context.actor } } as LeadEvent) : parsed.event;
  if (event.leadId === null && !RepFacts.includes(event.type)) {
    return { ok: false, message: `leadId: required for ${event.type} (only facts about a rep may omit it)`, fields: ['leadId'] };
  }
  const outOfBounds = occurredAtProblem(event.occurredAt, context.now, context.bounds);
  if (outOfBounds) return { ok: false, message: outOfBounds, fields: ['occurredAt'] };
  return { ok: true, event };
}

/**
 * A fact from far in the future is a client clock gone wrong; one from long
 * ago would reopen clocks and scorecards that were already settled, so only
 * a key made for backfills may send it.
 */
function occurredAtProblem(occurredAt: string, now: Date, bounds: OccurredAtBounds): string | null {
  const at = Date.parse(occurredAt);
  if (at - now.getTime() > bounds.maxFutureSkewMs) {
    return `occurredAt: ${occurredAt} is more than ${bounds.maxFutureSkewMs} ms (INGEST_MAX_FUTURE_SKEW_MS) ahead of ingest's clock (${now.toISOString()}); send the time the fact happened, from a synchronised clock`;
  }
  if (!bounds.backfill && now.getTime() - at > bounds.maxBackdateHours * 3_600_000) {
    return `occurredAt: ${occurredAt} is more than ${bounds.maxBackdateHours} h (INGEST_MAX_BACKDATE_HOURS) before ingest's clock (${now.toISOString()}); older facts need an API key with the "backfill" scope`;
  }
  return null;
}
