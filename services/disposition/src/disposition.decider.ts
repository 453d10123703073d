import { assertNever } from '@lead-sla/contracts';
import type { LeadEvent } from '@lead-sla/contracts';
import type { Decider, Emission } from '@lead-sla/decider';
import { isInboundReply } from '@lead-sla/lead-lifecycle';
import type { ContactState } from './domain/contact-state';
import { evolve as evolveContact } from './domain/contact.evolve';
import { isInput, isOutput, nothing, type DeciderContext, type Decision, type InputEvent } from './domain/decision';
import { contactAt, contactKeyFor, orphanKey, type DispositionState } from './domain/disposition-state';
import { decideBounced, decideFixed } from './data-cleanup/data-cleanup.decider';
import { createdStages, decideAccepted, decideRejected } from './funnel-stage/funnel-stage.decider';
import { decideDisposition } from './record-disposition/record-disposition.decider';
import { requalifyOnSignal } from './recycle-lead/recycle-lead.decider';
import { decideConsentWithdrawn, decideLeadOfSuppressedContact, suppressedRefusal } from './suppress-lead/suppress-lead.decider';

/** One input on its contact's state: a `never`-checked switch dispatches to the use case's decider. */
export function decideContact(state: ContactState, event: InputEvent, ctx: DeciderContext): Decision {
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
      if (isInboundReply(event.data)) return nothing;
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
      return assertNever(event, 'disposition decide');
  }
}

/** The state with the contact's new version (an unchanged contact, e.g. an untouched orphan, is not added). */
function withContact(state: DispositionState, contactKey: string, before: ContactState, contact: ContactState): DispositionState {
  if (contact === before) return state;
  const leadContacts = { ...state.leadContacts };
  for (const leadId of Object.keys(contact.leads)) leadContacts[leadId] = contactKey;
  return { ...state, contacts: { ...state.contacts, [contactKey]: contact }, leadContacts };
}

/**
 * The disposition service's pure decider over a batch's contacts. `decide`
 * answers an input on its contact's state; `evolve` folds an input (noting
 * its refusal, which has no event of its own) and each emitted event into
 * the contact it belongs to. Decisions that can be refused change state
 * only through the events they emit, so folding inputs and outputs in log
 * order rebuilds exactly the live state.
 */
export const dispositionDecider: Decider<InputEvent, DispositionState, DeciderContext> = {
  decide(state: DispositionState, input: InputEvent, env: DeciderContext): readonly Emission[] {
    return decideContact(contactAt(state, contactKeyFor(state, input)), input, env).emit;
  },

  evolve(state: DispositionState, event: LeadEvent, env: DeciderContext): DispositionState {
    if (isInput(event)) {
      const contactKey = contactKeyFor(state, event);
      const before = contactAt(state, contactKey);
      const { refusal } = decideContact(before, event, env);
      const noted = refusal ? { ...state, refusals: [...state.refusals, { refusal, contactKey: before.contactKey }] } : state;
      return withContact(noted, contactKey, before, evolveContact(before, event));
    }
    if (!isOutput(event)) return state; // another service's event, when folding the whole log
    // An emitted event is about a lead of its input's contact (or the input's own lead, for an orphan).
    const contactKey = state.leadContacts[event.leadId] ?? orphanKey(event.leadId);
    const before = contactAt(state, contactKey);
    return withContact(state, contactKey, before, evolveContact(before, event));
  },
};
