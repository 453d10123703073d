import type { ContactState } from './domain/contact-state';
import { evolve } from './domain/contact.evolve';
import { assertNever, nothing, type DeciderContext, type Decision, type Fact, type InputEvent } from './domain/decision';
import { decideBounced, decideFixed } from './data-cleanup/data-cleanup.decider';
import { createdStages, decideAccepted, decideRejected } from './funnel-stage/funnel-stage.decider';
import { decideDisposition } from './record-disposition/record-disposition.decider';
import { requalifyDue, requalifyOnSignal } from './recycle-lead/recycle-lead.decider';
import { decideConsentWithdrawn, decideLeadOfSuppressedContact, suppressedRefusal } from './suppress-lead/suppress-lead.decider';

/** The one entry point for input events: dispatches to the use case's decider. */
export function decide(state: ContactState, event: InputEvent, ctx: DeciderContext): Decision {
  switch (event.type) {
    case 'LeadCreated': {
      if (state.leads[event.leadId]) return nothing; // a redelivered or duplicate LeadCreated
      const suppressed = decideLeadOfSuppressedContact(state, event, ctx);
      if (suppressed) return suppressed;
      return { emit: [...createdStages(event), ...requalifyOnSignal(state, event)], refusal: null };
    }
    case 'LeadAssigned':
      return { emit: [], refusal: suppressedRefusal(state, event, event.data.repId, `routing it to rep "${event.data.repId}"`, ctx) };
    case 'LeadTouched': {
      // An inbound reply is the person reaching us, not us touching them.
      if (event.data.direction === 'inbound') return nothing;
      const action = `the ${event.data.channel} touch by rep "${event.data.repId}"`;
      return { emit: [], refusal: suppressedRefusal(state, event, event.data.repId, action, ctx) };
    }
    case 'LeadDispositioned':
      return decideDisposition(state, event, ctx);
    case 'LeadAccepted':
      return decideAccepted(state, event, ctx);
    case 'LeadRejected':
      return decideRejected(state, event, ctx);
    case 'ContactBounced':
      return decideBounced(state, event, ctx);
    case 'ContactFixed':
      return decideFixed(state, event, ctx);
    case 'ConsentWithdrawn':
      return decideConsentWithdrawn(state, event, ctx);
    default:
      return assertNever(event);
  }
}

/** Derives an emitted event's id from its cause and step (the wiring passes its UUIDv5 helper). */
export type EventIdFor = (causeEventId: string, step: string) => string;

/** The emissions of a decision as facts, so the state can fold them in. */
export function emittedFacts(decision: Decision, now: Date, eventIdFor: EventIdFor): Fact[] {
  return decision.emit.map(
    (e) => ({ type: e.type, eventId: eventIdFor(e.causeEventId, e.step), leadId: e.leadId, occurredAt: now.toISOString(), data: e.data }) as Fact,
  );
}

export interface Handled {
  readonly state: ContactState;
  readonly decision: Decision;
}

/** decide, then fold the input and the emitted events into the state. */
export function handle(state: ContactState, event: InputEvent, ctx: DeciderContext, eventIdFor: EventIdFor): Handled {
  const decision = decide(state, event, ctx);
  const next = emittedFacts(decision, ctx.now, eventIdFor).reduce(evolve, evolve(state, event));
  return { state: next, decision };
}

/** requalifyDue, then fold its emissions into the state. */
export function handleDue(state: ContactState, now: Date, eventIdFor: EventIdFor): Handled {
  const decision = requalifyDue(state, now);
  return { state: emittedFacts(decision, now, eventIdFor).reduce(evolve, state), decision };
}
