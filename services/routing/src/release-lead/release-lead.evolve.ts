import type { LeadRoutingState, RoutingEnv, RoutingState } from '../domain/routing-state.types';
import { appendNote, dequeue, moveCapacity, setLead, suppressContact } from '../domain/routing-state.util';

/** The lead leaves routing: no owner (whose capacity is freed), not in the queue. */
function release(s: RoutingState, lead: LeadRoutingState, released: 'recycled' | 'suppressed'): RoutingState {
  const freed = moveCapacity(s, lead, lead.ownerRepId, null);
  const { pendingReassignment: _pending, ...rest } = lead;
  return dequeue(setLead(freed, { ...rest, ownerRepId: null, awaitingFirstTouch: false, released }), lead.leadId);
}

/**
 * The lead went back to nurture (disposition recycled it): it leaves its
 * owner, whose capacity is freed, and leaves the unassigned queue. It
 * comes back through LeadRequalified.
 */
export function evolveRecycleLead(s: RoutingState, lead: LeadRoutingState | null, nurtureTrack: string, env: RoutingEnv): RoutingState {
  if (lead === null || lead.released !== undefined) return s;
  const note = `recycled to nurture track "${nurtureTrack}"; left ${lead.ownerRepId ?? 'no owner'}`;
  return appendNote(release(s, lead, 'recycled'), lead.leadId, note, env.now);
}

/**
 * Do not contact / consent withdrawn: the lead is released for good and
 * its contact is suppressed, so no later lead of the same person is routed.
 * A lead routing never saw changes nothing: without it, the contact is unknown.
 */
export function evolveSuppressLead(s: RoutingState, lead: LeadRoutingState | null, cause: string, env: RoutingEnv): RoutingState {
  if (lead === null) return s;
  const suppressed = suppressContact(s, lead.contactKey, { leadId: lead.leadId, cause, suppressedAt: env.now });
  if (lead.released === 'suppressed') return suppressed;
  // Notes are read back by the why endpoint: they name leads, never the contact key (usually an email).
  const note = `suppressed (${cause}): the lead's contact is never routed again`;
  return appendNote(release(suppressed, lead, 'suppressed'), lead.leadId, note, env.now);
}

/** A lead of a suppressed contact is recorded (so the why endpoint can answer) but never routed. */
export function evolveNotRouted(s: RoutingState, lead: LeadRoutingState, trigger: 'LeadCreated' | 'LeadRequalified', env: RoutingEnv): RoutingState {
  const by = s.suppressedContacts.get(lead.contactKey);
  const since = by && by.leadId !== lead.leadId ? ` since lead ${by.leadId} (${by.cause})` : '';
  const note = `${trigger} not routed: its contact is suppressed${since} (do not contact / consent withdrawn)`;
  return appendNote(release(s, lead, 'suppressed'), lead.leadId, note, env.now);
}

/** Whether a lead must not be routed: it or its contact is suppressed. */
export function isSuppressed(s: RoutingState, lead: LeadRoutingState): boolean {
  return lead.released === 'suppressed' || s.suppressedContacts.has(lead.contactKey);
}
