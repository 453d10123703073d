import { assertNever } from '@lead-sla/contracts';
import { isOwnedTouch } from '@lead-sla/lead-lifecycle';
import type { ContactState, LeadState } from './contact-state';
import { type Fact } from './decision';

function withLead(state: ContactState, leadId: string, change: (lead: LeadState) => LeadState): ContactState {
  const lead = state.leads[leadId];
  if (!lead) return state;
  return { ...state, leads: { ...state.leads, [leadId]: change(lead) } };
}

/**
 * Folds one fact — an input or one of the service's own emissions — into the
 * contact state. Decisions that can be refused (dispositions, accept/reject)
 * change state only through the events they emit, so replaying inputs and
 * outputs rebuilds exactly the live state.
 */
export function evolve(state: ContactState, fact: Fact): ContactState {
  switch (fact.type) {
    case 'LeadCreated': {
      if (state.leads[fact.leadId]) return state;
      const lead: LeadState = {
        leadId: fact.leadId,
        createdAt: fact.occurredAt,
        channels: [...new Set(fact.data.channels)],
        ownerRepId: null,
        stage: 'inquiry',
        attempts: [],
        recycled: null,
        suppressed: false,
        bouncedChannels: [],
      };
      return { ...state, contactKey: state.contactKey ?? fact.data.contact.contactKey, leads: { ...state.leads, [fact.leadId]: lead } };
    }
    case 'LeadAssigned':
      // Routing's decision is a fact; it also ends any nurture wait. A suppressed lead keeps no owner.
      return withLead(state, fact.leadId, (lead) =>
        lead.suppressed ? lead : { ...lead, ownerRepId: fact.data.repId, recycled: null },
      );
    case 'LeadTouched': {
      const d = fact.data;
      return withLead(state, fact.leadId, (lead) =>
        !lead.suppressed && isOwnedTouch(d, lead.ownerRepId)
          ? { ...lead, attempts: [...lead.attempts, { at: fact.occurredAt, repId: d.repId, channel: d.channel }] }
          : lead,
      );
    }
    case 'ContactBounced':
      return withLead(state, fact.leadId, (lead) =>
        lead.bouncedChannels.includes(fact.data.channel)
          ? lead
          : { ...lead, bouncedChannels: [...lead.bouncedChannels, fact.data.channel] },
      );
    case 'ContactFixed':
      return withLead(state, fact.leadId, (lead) => ({
        ...lead,
        bouncedChannels: lead.bouncedChannels.filter((c) => c !== fact.data.channel),
      }));
    case 'LeadStageChanged':
      return withLead(state, fact.leadId, (lead) => ({ ...lead, stage: fact.data.to }));
    case 'LeadRecycled':
      return withLead(state, fact.leadId, (lead) => ({
        ...lead,
        ownerRepId: null,
        recycled: {
          code: fact.data.code,
          nurtureTrack: fact.data.nurtureTrack,
          trigger: fact.data.trigger,
          requalifyAt: fact.data.requalifyAt,
          recycledAt: fact.occurredAt,
          recycledEventId: fact.eventId,
          correlationId: fact.correlationId,
          policyVersion: fact.data.policyVersion,
        },
      }));
    case 'LeadRequalified':
      // A new working cycle: minimum effort is counted again from scratch.
      return withLead(state, fact.leadId, (lead) => ({ ...lead, recycled: null, attempts: [] }));
    case 'LeadSuppressed': {
      const suppression = state.suppression ?? {
        since: fact.occurredAt,
        leadId: fact.leadId,
        cause: fact.data.cause,
        code: fact.data.code,
        reason: fact.data.reason,
      };
      const next = withLead({ ...state, suppression }, fact.leadId, (lead) => ({
        ...lead,
        suppressed: true,
        ownerRepId: null,
        recycled: null,
      }));
      return next;
    }
    case 'LeadDispositioned':
    case 'LeadAccepted':
    case 'LeadRejected':
    case 'ConsentWithdrawn':
    case 'DispositionRejected':
    case 'DispositionRecorded':
    case 'DataCleanupRequested':
    case 'SalDecisionRecorded':
    case 'SalDecisionRefused':
      // Their effects arrive as emitted events (or they were refused).
      return state;
    default:
      return assertNever(fact, 'contact evolve');
  }
}
