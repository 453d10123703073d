import { assertNever } from '@lead-sla/contracts';
import type { LeadEvent } from '@lead-sla/contracts';
import { breachIsRepMiss, isMarketingQualified } from '@lead-sla/lead-lifecycle';
import { emission, eventOfEmission, type Emission } from '@lead-sla/decider';
import { decideAssignLead, leadFromCreated } from './assign-lead/assign-lead.decider';
import { decideContactBounced, decideContactFixed } from './contact-data/contact-data.decider';
import { routingStep } from './domain/decision-order.util';
import type { RoutingInputEvent } from './domain/routing-events.types';
import type { RoutingEmission } from './domain/routing-emission.types';
import { repStateOf, type RoutingEnv, type RoutingState } from './domain/routing-state.types';
import { decideManagerReassignment } from './manager-reassignment/manager-reassignment.decider';
import { decideReassignLead, decideStageHandoff } from './reassign-lead/reassign-lead.decider';
import { isSuppressed } from './release-lead/release-lead.evolve';
import { decideRecordMiss, decideReinstate } from './rotation-penalty/rotation-penalty.decider';
import { evolveRouting, reassignStepCause, restartedLead, sameContactOf } from './routing.evolve';
import { decideDrainQueue } from './unassigned-queue/unassigned-queue.decider';

/** The decisions an input asks for itself, before the queue drain. */
function decideInput(state: RoutingState, event: RoutingInputEvent, env: RoutingEnv): RoutingEmission[] {
  const lead = event.leadId === null ? null : (state.leads.get(event.leadId) ?? null);
  switch (event.type) {
    case 'LeadCreated': {
      // Redelivery of a lead already routed: the first decision stands.
      if (lead !== null || event.leadId === null) return [];
      const created = leadFromCreated(event.leadId, event.occurredAt, event.data);
      if (isSuppressed(state, created)) return [];
      const mql = env.policy.routing.mql;
      if (!isMarketingQualified(event.data, mql)) {
        const data = { source: event.data.source, score: event.data.score ?? null, minScore: mql?.minScore ?? null, policyVersion: env.policy.version };
        return [{ type: 'LeadInquiryRecorded', leadId: event.leadId, data }];
      }
      return [decideAssignLead({ lead: created, reason: 'rule', sameContact: sameContactOf(state, created) }, state, env)];
    }
    case 'LeadRequalified': {
      if (lead === null || isSuppressed(state, lead)) return [];
      const restarted = restartedLead(lead);
      return [decideAssignLead({ lead: restarted, reason: 'requalified', sameContact: sameContactOf(state, restarted) }, state, env)];
    }
    case 'SlaBreached': {
      const b = event.data;
      // A breach only counts; what happens to the lead is its clock's ladder (SlaEscalated below), e.g. first
      // touch's default "reassign at once" or a tier's "remind at 0, reassign at +5".
      // Which breaches are the rep's miss is the lead lifecycle's rule (the reply clock and the assignment clocks are not).
      return event.leadId !== null && breachIsRepMiss(env.policy, b)
        ? decideRecordMiss(repStateOf(state, b.ownerRepId), { leadId: event.leadId, clock: b.clock, breachedAt: event.occurredAt }, env)
        : [];
    }
    case 'SlaEscalated': {
      const e = event.data;
      // Data cleanup never hands the lead to a sales pool: only the fix brings it back (the policy refuses such a step too).
      if (e.action !== 'reassign' || e.clock === 'data_cleanup') return [];
      return decideReassignLead({ ownerRepId: e.ownerRepId, cause: reassignStepCause(e) }, lead, state, env);
    }
    case 'ContactBounced':
      return lead?.released ? [] : decideContactBounced(event.data, lead, env);
    case 'DataCleanupRequested':
      // The disposition service's "bad data" close-out: the same move as a bounce.
      return lead?.released ? [] : decideContactBounced({ channel: event.data.channel, detail: event.data.detail ?? undefined }, lead, env);
    case 'ContactFixed':
      return lead?.released ? [] : decideContactFixed(event.data, lead, state, env);
    case 'RepReinstated':
      return decideReinstate(repStateOf(state, event.data.repId), event.data, env);
    case 'LeadReassignmentRequested':
      return decideManagerReassignment(event.data, lead, env);
    case 'LeadTouched':
    case 'LeadDispositioned':
    case 'DispositionRecorded':
    case 'DispositionRejected':
    case 'LeadRecycled':
    case 'LeadSuppressed':
    case 'ConsentWithdrawn':
    case 'RepAvailabilityChanged':
      // Facts that only change state (evolve); any capacity or availability they free is used by the drain.
      return [];
    case 'LeadStageChanged':
      return decideStageHandoff(event.data, lead, state, env);
    case 'RoutingWakeUp':
      // A coverage window opened, a PTO ended or a shift override started (no event says so): the drain, as of dueAt, does the rest.
      return [];
    default: {
      return assertNever(event, 'routing decide');
    }
  }
}

/** A routing decision, the `index`-th of its input, as the event it becomes (same id), so `evolve` can show a later step its effect. */
export function previewEvent(cause: LeadEvent, e: RoutingEmission, env: RoutingEnv, index: number): LeadEvent {
  return eventOfEmission(cause, emission(e.type, routingStep(index, e.type), e.data, e.leadId), new Date(env.now));
}

/**
 * Routing's decide (pure): the events an input leads to, in three steps.
 * 1. The unassigned queue first, oldest first, on the state with the input
 *    folded: whatever the input freed (a rep available again, PTO over, a
 *    shift starting, a first touch freeing capacity) goes to the leads that
 *    waited longest, before the lead whose event triggered the drain.
 * 2. What the input asks for itself (assign a new lead, reassign, …),
 *    decided on the state before the input with those drained leads folded.
 * 3. The queue again, for what the input's own decisions freed (e.g. the
 *    capacity a reassignment took away from the old owner).
 * Each emission is folded before the next is decided, so one free slot is
 * never handed out twice. The step names each emission's place, so a re-run
 * derives the same event ids.
 */
export function decideRouting(state: RoutingState, input: RoutingInputEvent, env: RoutingEnv): Emission[] {
  let index = 0;
  const fold = (s: RoutingState, e: RoutingEmission) => evolveRouting(s, previewEvent(input, e, env, index++), env);
  const inputLead = new Set(input.leadId === null ? [] : [input.leadId]);

  // Folds at a given place (decideDrainQueue's `fold` numbered the drained leads 0…k-1 as it went).
  const foldAt = (s: RoutingState, e: RoutingEmission, i: number) => evolveRouting(s, previewEvent(input, e, env, i), env);

  const afterInput = evolveRouting(state, input, env);
  const drainedFirst = decideDrainQueue(afterInput, env, inputLead, fold);
  const first = decideInput(drainedFirst.reduce(foldAt, state), input, env);
  const beforeOwn = drainedFirst.reduce(foldAt, afterInput);
  const after = first.reduce(fold, beforeOwn);
  // A lead this input just decided about has had its search already.
  const decided = new Set([...inputLead, ...[...after.leads.keys()].filter((id) => after.leads.get(id) !== beforeOwn.leads.get(id))]);
  const drainedAfter = decideDrainQueue(after, env, decided, fold);
  return [...drainedFirst, ...first, ...drainedAfter].map((e, i) => emission(e.type, routingStep(i, e.type), e.data, e.leadId));
}
