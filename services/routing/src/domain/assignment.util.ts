import type { AssignmentReason, LeadAssignedData, LeadQueuedData, SkippedRep } from '@lead-sla/contracts';
import { policyLookup } from '@lead-sla/policy';
import type { RoutingEmission } from './routing-emission.types';
import type { PoolSearch } from './pool-rotation.util';
import type { LeadRoutingState, RoutingEnv } from './routing-state.types';

export interface OwnerChange {
  readonly lead: LeadRoutingState;
  readonly repId: string;
  readonly poolId: string;
  readonly ruleId: string | null;
  readonly reason: AssignmentReason;
  readonly skipped: readonly SkippedRep[];
  /** Marks an SLA fallback (what the "fallbacks triggered" scorecard counts). */
  readonly reassignment: boolean;
  readonly reassignmentCause: string | null;
}

/** The LeadAssigned that gives `lead` to `repId`; evolve applies it (owner, history, capacity, pointer, queue). */
export function assignTo(change: OwnerChange, env: RoutingEnv): RoutingEmission {
  const { lead, repId } = change;
  const previousRepId = lead.ownerRepId ?? lastOwner(lead);
  const data: LeadAssignedData = {
    repId,
    teamId: policyLookup.rep(env.policy, repId).teamId,
    poolId: change.poolId,
    ruleId: change.ruleId,
    reason: change.reason,
    reassignment: change.reassignment,
    previousRepId: previousRepId === repId ? null : previousRepId,
    reassignmentCause: change.reassignmentCause,
    skipped: [...change.skipped],
    managerId: policyLookup.managerOf(env.policy, repId),
    policyVersion: env.policy.version,
    // The handoff carries the next action forward: the new owner knows what was promised.
    ...(lead.nextAction === undefined ? {} : { nextAction: lead.nextAction }),
  };
  return { type: 'LeadAssigned', leadId: lead.leadId, data };
}

/** Nobody can take the lead: park it in the unassigned queue (which has its own SLA clock). */
export function queueLead(
  lead: LeadRoutingState,
  args: { poolId: string; ruleId: string | null; search: PoolSearch; skipped: readonly SkippedRep[]; cause: string },
  env: RoutingEnv,
): RoutingEmission {
  const data: LeadQueuedData = {
    poolId: args.poolId,
    ruleId: args.ruleId,
    cause: `${args.cause}: every rep in ${args.search.poolsTried.join(' → ')} was skipped`.slice(0, 500),
    skipped: [...args.skipped],
    // The owner the lead leaves (a reassignment that found nobody): the timer stops their clocks.
    previousRepId: lead.ownerRepId,
    policyVersion: env.policy.version,
  };
  return { type: 'LeadQueued', leadId: lead.leadId, data };
}

/**
 * The pool a lead is routed in: its own, or the routing default pool when
 * it has none or the policy in force no longer has it (a reload dropped the
 * pool while the lead waited in the queue or was owned). Never an error:
 * one dropped pool must not stop routing for every later event.
 */
export function homePoolOf(poolId: string | null, env: RoutingEnv): string {
  return poolId !== null && env.policy.pools.some((p) => p.id === poolId) ? poolId : env.policy.routing.defaultPool;
}

export function lastOwner(lead: LeadRoutingState): string | null {
  return lead.ownerHistory.length > 0 ? lead.ownerHistory[lead.ownerHistory.length - 1].repId : null;
}

/** The rule that picks the lead's pool: first match wins, else the default pool. */
export function poolFor(lead: LeadRoutingState, env: RoutingEnv): { poolId: string; ruleId: string | null } {
  return policyLookup.routedPool(env.policy, lead.attributes);
}
