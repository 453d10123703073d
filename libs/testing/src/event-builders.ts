import { randomUUID } from 'node:crypto';
import type { EventData, EventType } from '@lead-sla/contracts';
import { carriesActor, EventCatalogue } from '@lead-sla/contracts';

/** Event data as a test writes it: a command's `actor` may be left out (then null: not verified, as in an upcast v1 event). */
export type EventDataInput<T extends EventType> = EventData<T> extends { actor: infer A } ? Omit<EventData<T>, 'actor'> & { actor?: A } : EventData<T>;

/** A well-formed event as an external system would publish it. */
export function makeEvent<T extends EventType>(
  type: T,
  leadId: string | null,
  input: EventDataInput<T>,
  overrides: Partial<{ eventId: string; occurredAt: string; version: number; correlationId: string; causationId: string | null }> = {},
) {
  const at = overrides.occurredAt ?? new Date().toISOString();
  const data = (carriesActor(type) ? { actor: null, ...input } : input) as EventData<T>;
  return {
    type,
    version: overrides.version ?? EventCatalogue[type].current,
    eventId: overrides.eventId ?? randomUUID(),
    occurredAt: at,
    recordedAt: at,
    leadId,
    correlationId: overrides.correlationId ?? leadId ?? randomUUID(),
    causationId: overrides.causationId ?? null,
    data,
  };
}

let counter = 0;

/** LeadCreated data with sensible defaults; contact details are unique per call. */
export function leadCreatedData(overrides: Partial<EventData<'LeadCreated'>> = {}): EventData<'LeadCreated'> {
  counter += 1;
  const n = `${Date.now().toString(36)}${counter}`;
  return {
    source: 'webinar',
    segment: 'smb',
    territory: 'emea',
    intentTier: 'hot',
    vip: false,
    contact: { contactKey: `lead-${n}@example.test`, email: `lead-${n}@example.test`, phone: `+44 20 7946 ${String(counter).padStart(4, '0')}` },
    channels: ['phone', 'email'],
    ...overrides,
  };
}
