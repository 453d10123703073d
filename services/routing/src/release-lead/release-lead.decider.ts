import { capacityMove } from '../domain/assignment.util';
import { decision, noDecision, type RoutingDecision } from '../domain/routing-decision.types';
import type { LeadRoutingState } from '../domain/routing-state.types';

/**
 * The lead went back to nurture (disposition recycled it): it leaves its
 * owner, whose capacity is freed, and leaves the unassigned queue. It
 * comes back through LeadRequalified.
 */
export function decideRecycleLead(lead: LeadRoutingState | null, nurtureTrack: string): RoutingDecision {
  if (lead === null || lead.released !== undefined) return noDecision;
  return decision({
    leads: [{ ...lead, ownerRepId: null, awaitingFirstTouch: false, released: 'recycled' }],
    capacity: capacityMove(lead, lead.ownerRepId, null),
    queue: { add: [], remove: [lead.leadId] },
    notes: [{ leadId: lead.leadId, text: `recycled to nurture track "${nurtureTrack}"; left ${lead.ownerRepId ?? 'no owner'}` }],
  });
}

/**
 * Do not contact / consent withdrawn: the lead is released for good and
 * its contact is suppressed, so no later lead of the same person is routed.
 * A lead routing never saw is only noted: without it, the contact is unknown.
 */
export function decideSuppressLead(lead: LeadRoutingState | null, leadId: string | null, cause: string): RoutingDecision {
  if (lead === null) return decision({ notes: [{ leadId, text: `suppression (${cause}) for a lead routing has not seen; nothing to release` }] });
  const released: RoutingDecision = decision({
    suppressContacts: [{ contactKey: lead.contactKey, leadId: lead.leadId, cause }],
    notes: [{ leadId: lead.leadId, text: `suppressed (${cause}): contact "${lead.contactKey}" is never routed again` }],
  });
  if (lead.released === 'suppressed') return released;
  return {
    ...released,
    leads: [{ ...lead, ownerRepId: null, awaitingFirstTouch: false, released: 'suppressed' }],
    capacity: capacityMove(lead, lead.ownerRepId, null),
    queue: { add: [], remove: [lead.leadId] },
  };
}

/** A lead of a suppressed contact is recorded (so the why endpoint can answer) but never routed. */
export function decideNotRouted(lead: LeadRoutingState, trigger: 'LeadCreated' | 'LeadRequalified'): RoutingDecision {
  return decision({
    leads: [{ ...lead, ownerRepId: null, awaitingFirstTouch: false, released: 'suppressed' }],
    capacity: capacityMove(lead, lead.ownerRepId, null),
    queue: { add: [], remove: [lead.leadId] },
    notes: [{ leadId: lead.leadId, text: `${trigger} not routed: contact "${lead.contactKey}" is suppressed (do not contact / consent withdrawn)` }],
  });
}
