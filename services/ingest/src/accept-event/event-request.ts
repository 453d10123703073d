import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { deterministicId, EventCatalogue, isEventType, parseEvent, type EventType, type LeadEvent } from '@lead-sla/contracts';

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
 * Turns a request into a full event and validates it with the same
 * contracts the consumers use (parseEvent): a request ingest accepts is
 * one every service accepts. Pure: ids and time are passed in.
 */
export function eventOfRequest(request: EventRequest, context: { now: Date; apiKeyId: string; idempotencyKey: string | null }): BuildResult {
  if (!isEventType(request.type) || !PublicEventTypes.includes(request.type)) {
    return { ok: false, message: `type: "${request.type}" is not an event ingest accepts (one of: ${PublicEventTypes.join(', ')})`, fields: ['type'] };
  }
  const leadId = request.leadId ?? null;
  const eventId = request.eventId ?? (context.idempotencyKey ? deterministicId('ingest', context.apiKeyId, context.idempotencyKey) : randomUUID());
  const raw = {
    type: request.type,
    version: request.version ?? EventCatalogue[request.type].current,
    eventId,
    occurredAt: request.occurredAt ?? context.now.toISOString(),
    recordedAt: context.now.toISOString(),
    leadId,
    correlationId: request.correlationId ?? leadId ?? eventId,
    causationId: request.causationId ?? null,
    data: request.data,
  };
  const parsed = parseEvent(raw);
  if (!parsed.ok) return { ok: false, message: parsed.error, fields: fieldsOf(parsed.error) };
  const { event } = parsed;
  if (event.leadId === null && !RepFacts.includes(event.type)) {
    return { ok: false, message: `leadId: required for ${event.type} (only facts about a rep may omit it)`, fields: ['leadId'] };
  }
  return { ok: true, event };
}
