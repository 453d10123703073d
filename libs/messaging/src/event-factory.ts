import { deterministicId, type EventData, type EventOf, type EventType, EventCatalogue } from '@lead-sla/contracts';

export interface Cause {
  readonly eventId: string;
  readonly correlationId: string;
  readonly leadId: string | null;
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
  at: { occurredAt: Date; recordedAt: Date },
  leadId: string | null = cause.leadId,
): EventOf<T> {
  return {
    type,
    version: EventCatalogue[type].current,
    eventId: deterministicId(cause.eventId, step, type),
    occurredAt: at.occurredAt.toISOString(),
    recordedAt: at.recordedAt.toISOString(),
    leadId,
    correlationId: cause.correlationId,
    causationId: cause.eventId,
    data,
  } as unknown as EventOf<T>;
}
