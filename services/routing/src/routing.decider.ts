import type {
  ConsentWithdrawnData,
  ContactBouncedData,
  ContactFixedData,
  DataCleanupRequestedData,
  EventEnvelope,
  LeadCreatedData,
  LeadRecycledData,
  LeadRequalifiedData,
  LeadSuppressedData,
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
import { decideNotRouted, decideRecycleLead, decideSuppressLead } from './release-lead/release-lead.decider';
import { capacityMove } from './domain/assignment.util';
import { skipReasonFor } from './domain/rep-eligibility.util';
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
  | EventEnvelope<'RepReinstated', RepReinstatedData>
  | EventEnvelope<'LeadRecycled', LeadRecycledData>
  | EventEnvelope<'LeadSuppressed', LeadSuppressedData>
  | EventEnvelope<'ConsentWithdrawn', ConsentWithdrawnData>
  | EventEnvelope<'DataCleanupRequested', DataCleanupRequestedData>;

/** Every event type decideRouting handles: the wiring passes only these to it. */
export const routingInputTypes: ReadonlySet<string> = new Set<RoutingInputEvent['type']>([
  'LeadCreated', 'LeadRequalified', 'LeadTouched', 'SlaBreached', 'SlaEscalated', 'ContactBounced', 'ContactFixed',
  'RepAvailabilityChanged', 'RepReinstated', 'LeadRecycled', 'LeadSuppressed', 'ConsentWithdrawn', 'DataCleanupRequested',
]);

export interface RoutingState extends RoutingView {
  /** Routing's state of the event's lead; null for rep events and leads not seen yet. */
  readonly lead: LeadRoutingState | null;
  /** Other leads with the lead's contactKey (LeadCreated / LeadRequalified only). */
  readonly sameContact: readonly ContactLead[];
  /** The whole unassigned queue: every event may free someone up, so each decision ends with a drain. */
  readonly queue: readonly QueuedLead[];
  /** The lead's contact is suppressed (LeadCreated / LeadRequalified only): it must not be routed. */
  readonly contactSuppressed?: boolean;
}

/** Whether any pool has a rep who could take a round-robin lead now: if not, no queued lead can be drained. */
export function someoneCanTakeLeads(view: RoutingView, env: RoutingEnv): boolean {
  return env.policy.pools.some((pool) => pool.reps.some((repId) => skipReasonFor(repId, env, view, 'rotation') === null));
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
      if (state.contactSuppressed) return decideNotRouted(created, 'LeadCreated');
      return decideAssignLead({ lead: created, reason: 'rule', sameContact: state.sameContact }, state, env);
    }
    case 'LeadRequalified': {
      if (lead === null) return noDecision;
      if (state.contactSuppressed || lead.released === 'suppressed') return decideNotRouted(lead, 'LeadRequalified');
      // A recycled lead starts over: it awaits a first touch again; the old owner's count only drops if it still held one.
      const { released: _released, ...active } = lead;
      const restarted = { ...active, ownerRepId: lead.awaitingFirstTouch ? lead.ownerRepId : null, awaitingFirstTouch: true };
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
      return lead?.released ? noDecision : decideContactBounced(event.data, lead, env);
    case 'DataCleanupRequested':
      // The disposition service's "bad data" close-out: the same move as a bounce.
      return lead?.released ? noDecision : decideContactBounced({ channel: event.data.channel, detail: event.data.detail ?? undefined }, lead, env);
    case 'ContactFixed':
      return lead?.released ? noDecision : decideContactFixed(event.data, lead, state, env);
    case 'LeadRecycled':
      return decideRecycleLead(lead, event.data.nurtureTrack);
    case 'LeadSuppressed':
      return decideSuppressLead(lead, event.leadId, event.data.cause === 'consent_withdrawn' ? 'consent withdrawn' : `disposition ${event.data.code ?? ''}`.trim());
    case 'ConsentWithdrawn':
      return decideSuppressLead(lead, event.leadId, 'consent withdrawn');
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
  const after = viewAfter(state, first);
  // A long queue (say overnight, every team off shift) would otherwise be searched rep by rep on every event.
  if (!someoneCanTakeLeads(after, env)) return first;
  return mergeDecisions(first, decideDrainQueue(queue, after, env));
}
