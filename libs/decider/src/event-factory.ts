import { deterministicId, type EventData, type EventOf, type EventType, EventCatalogue } from '@lead-sla/contracts';
import type { Emission } from './emission';

/** The event a decision answers: its emissions inherit its correlation and get ids derived from it. */
export interface Cause {
  readonly eventId: string;
  readonly correlationId: string;
  readonly leadId: string | null;
}

/** Every field of an envelope but `version` (always the type's current one). */
export interface EnvelopeFields<T extends EventType> {
  readonly type: T;
  readonly eventId: string;
  readonly occurredAt: Date | string;
  readonly recordedAt: Date | string;
  readonly leadId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: EventData<T>;
}

const iso = (t: Date | string) => (t instanceof Date ? t.toISOString() : t);

/**
 * The one envelope factory: every event the platform writes (decisions,
 * scheduled work, HTTP commands, ingest) is built here, at the type's
 * current version.
 */
export function buildEvent<T extends EventType>(f: EnvelopeFields<T>): EventOf<T> {
  return {
    type: f.type,
    version: EventCatalogue[f.type].current,
    eventId: f.eventId,
    occurredAt: iso(f.occurredAt),
    recordedAt: iso(f.recordedAt),
    leadId: f.leadId,
    correlationId: f.correlationId,
    causationId: f.causationId,
    data: f.data,
  } as unknown as EventOf<T>;
}

/**
 * Builds an event the platform emits in response to `cause`. Its id is
 * derived from the cause and `step`, so re-processing the same cause yields
 * the same event id (exactly-once effects downstream, DESIGN.md §3).
 */
export function eventFrom<T extends EventType>(
  cause: Cause,
  step: string,
  type: T,
  data: EventData<T>,
  at: { occurredAt: Date | string; recordedAt: Date | string },
  leadId: string | null = cause.leadId,
): EventOf<T> {
  return buildEvent({
    type,
    eventId: deterministicId(cause.eventId, step, type),
    occurredAt: at.occurredAt,
    recordedAt: at.recordedAt,
    leadId,
    correlationId: cause.correlationId,
    causationId: cause.eventId,
    data,
  });
}

/** An emission as the event it becomes: decided now, in answer to `cause`. */
export function eventOfEmission(cause: Cause, e: Emission, now: Date): EventOf<EventType> {
  return eventFrom(cause, e.step, e.type, e.data as EventData<typeof e.type>, { occurredAt: now, recordedAt: now }, e.leadId === undefined ? cause.leadId : e.leadId);
}
