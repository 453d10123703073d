import type { EventType, LeadEvent } from '@lead-sla/contracts';
import { eventFrom } from '@lead-sla/messaging';
import type { ContactState } from '../domain/contact-state';
import { evolve } from '../domain/contact.evolve';
import type { Decision, Fact, InputEvent } from '../domain/decision';

/**
 * The envelopes of a decision's emissions. Ids come from eventFrom, i.e.
 * from (cause, step, type): a redelivered cause, or a due time fired twice,
 * yields the same ids and is recognised downstream. `correlationOf` names
 * the correlation id of each cause (the input event, or the recycle a time
 * trigger continues).
 */
export function decisionEvents(decision: Decision, correlationOf: (causeEventId: string) => string, now: Date): LeadEvent[] {
  return decision.emit.map(
    (e) =>
      eventFrom(
        { eventId: e.causeEventId, correlationId: correlationOf(e.causeEventId), leadId: e.leadId },
        e.step,
        e.type as EventType,
        e.data as never,
        { occurredAt: now, recordedAt: now },
        e.leadId,
      ) as LeadEvent,
  );
}

/** Folds the input (if any) and then the emitted events into the state, as replaying the log would. */
export function evolveWith(state: ContactState, input: InputEvent | null, emitted: readonly LeadEvent[]): ContactState {
  const facts = [...(input ? [input] : []), ...emitted.map((e) => e as unknown as Fact)];
  return facts.reduce(evolve, state);
}

/** Refusal sentences for a log line: the contact key is a contact detail and stays out of logs. */
export function loggableProblems(problems: readonly string[], contactKey: string | null): string[] {
  return contactKey ? problems.map((p) => p.split(contactKey).join('[contact]')) : [...problems];
}
