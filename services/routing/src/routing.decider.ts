import type {
  ContactBouncedData,
  ContactFixedData,
  EventEnvelope,
  LeadCreatedData,
  LeadRequalifiedData,
  LeadTouchedData,
  RepAvailabilityChangedData,
  RepReinstatedData,
  SlaBreachedData,
  SlaEscalatedData,
} from '@lead-sla/contracts';
import { decideAssignLead, leadFromCreated } from './assign-lead/assign-lead.decider';
import { decideContactBounced, decideContactFixed } from './contact-data/contact-data.decider';
import { decideReassignLead } from './reassign-lead/reassign-lead.decider';
import { decideRepAvailability } from './rep-availability/rep-availability.decider';
import { decideRecordMiss, decideReinstate } from './rotation-penalty/rotation-penalty.decider';
import { decideDrainQueue } from './unassigned-queue/unassigned-queue.decider';
import { capacityMove } from './domain/assignment.util';
import { decision, mergeDecisions, noDecision, type RoutingDecision } from './domain/routing-decision.types';
import {
  repStateOf,
  type ContactLead,
  type LeadRoutingState,
  type QueuedLead,
  type RepState,
  type RoutingEnv,
  type RoutingView,
} from './domain/routing-state.types';

/** The events routing consumes, already parsed and upcast to their current version. */
export type RoutingInputEvent =
  | EventEnvelope<'LeadCreated', LeadCreatedData>
  | EventEnvelope<'LeadRequalified', LeadRequalifiedData>
  | EventEnvelope<'LeadTouched', LeadTouchedData>
  | EventEnvelope<'SlaBreached', SlaBreachedData>
  | EventEnvelope<'SlaEscalated', SlaEscalatedData>
  | EventEnvelope<'ContactBounced', ContactBouncedData>
  | EventEnvelope<'ContactFixed', ContactFixedData>
  | EventEnvelope<'RepAvailabilityChanged', RepAvailabilityChangedData>
  | EventEnvelope<'RepReinstated', RepReinstatedData>;

export interface RoutingState extends RoutingView {
  /** Routing's state of the event's lead; null for rep events and leads not seen yet. */
  readonly lead: LeadRoutingState | null;
  /** Other leads with the lead's contactKey (LeadCreated / LeadRequalified only). */
  readonly sameContact: readonly ContactLead[];
  /** The whole unassigned queue: every event may free someone up, so each decision ends with a drain. */
  readonly queue: readonly QueuedLead[];
}

/** The view as it will be once `d` is applied, so a later step in the same decision sees it. */
export function viewAfter(view: RoutingView, d: RoutingDecision): RoutingView {
  const reps = new Map(view.reps);
  for (const r of d.reps) reps.set(r.repId, { ...r, openAwaitingFirstTouch: repStateOf(view, r.repId).openAwaitingFirstTouch });
  for (const c of d.capacity) {
    const rep: RepState = repStateOf({ ...view, reps }, c.repId);
    reps.set(c.repId, { ...rep, openAwaitingFirstTouch: rep.openAwaitingFirstTouch + c.delta });
  }
  const pools = new Map(view.pools);
  for (const p of d.pools) pools.set(p.poolId, p);
  const learnedAccountOwners = new Map(view.learnedAccountOwners);
  for (const o of d.accountOwners) learnedAccountOwners.set(o.accountDomain, o.repId);
  return { reps, pools, learnedAccountOwners };
}

/** The decision for one event, before the queue drain. */
function decideEvent(event: RoutingInputEvent, state: RoutingState, env: RoutingEnv): RoutingDecision {
  const { lead } = state;
  switch (event.type) {
    case 'LeadCreated': {
      // Redelivery of a lead already routed: the first decision stands.
      if (lead !== null || event.leadId === null) return noDecision;
      const created = leadFromCreated(event.leadId, event.occurredAt, event.data);
      return decideAssignLead({ lead: created, reason: 'rule', sameContact: state.sameContact }, state, env);
    }
    case 'LeadRequalified': {
      if (lead === null) return noDecision;
      // A recycled lead starts over: it awaits a first touch again; the old owner's count only drops if it still held one.
      const restarted = { ...lead, ownerRepId: lead.awaitingFirstTouch ? lead.ownerRepId : null, awaitingFirstTouch: true };
      return decideAssignLead({ lead: restarted, reason: 'requalified', sameContact: state.sameContact }, state, env);
    }
    case 'LeadTouched': {
      const t = event.data;
      const firstOwnedTouch =
        lead !== null && lead.awaitingFirstTouch && t.repId === lead.ownerRepId && t.personal && !t.automated && t.direction === 'outbound';
      if (!firstOwnedTouch) return noDecision;
      return decision({ leads: [{ ...lead, awaitingFirstTouch: false }], capacity: capacityMove(lead, lead.ownerRepId, null) });
    }
    case 'SlaBreached': {
      const b = event.data;
      const reassign =
        b.clock === 'first_touch' ? decideReassignLead({ ownerRepId: b.ownerRepId, cause: 'first_touch SLA breached' }, lead, state, env) : noDecision;
      const miss =
        b.ownerRepId !== null && event.leadId !== null
          ? decideRecordMiss(repStateOf(state, b.ownerRepId), { leadId: event.leadId, clock: b.clock, breachedAt: event.occurredAt }, env)
          : noDecision;
      return mergeDecisions(reassign, miss);
    }
    case 'SlaEscalated': {
      const e = event.data;
      if (e.action !== 'reassign') return noDecision;
      return decideReassignLead({ ownerRepId: e.ownerRepId, cause: `${e.clock} SLA escalation step ${e.step}: reassign` }, lead, state, env);
    }
    case 'ContactBounced':
      return decideContactBounced(event.data, lead, env);
    case 'ContactFixed':
      return decideContactFixed(event.data, lead, state, env);
    case 'RepAvailabilityChanged':
      return decideRepAvailability(repStateOf(state, event.data.repId), event.data, env);
    case 'RepReinstated':
      return decideReinstate(repStateOf(state, event.data.repId), event.data, env);
    default: {
      const unhandled: never = event;
      throw new Error(`routing: no decider for event type "${(unhandled as { type: string }).type}"`);
    }
  }
}

/**
 * The routing service's one entry point: (event, state, policy, now) →
 * decision. Pure; the wiring loads `state`, calls this, and writes the
 * decision and its emissions in one transaction.
 */
export function decideRouting(event: RoutingInputEvent, state: RoutingState, env: RoutingEnv): RoutingDecision {
  const first = decideEvent(event, state, env);
  const changed = new Set(first.leads.map((l) => l.leadId));
  const queue = state.queue.filter((q) => !changed.has(q.lead.leadId));
  if (queue.length === 0) return first;
  return mergeDecisions(first, decideDrainQueue(queue, viewAfter(state, first), env));
}
