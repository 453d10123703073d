import type { AssignmentReason, LeadAssignedData, LeadQueuedData, SkippedRep } from '@lead-sla/contracts';
import { matchesLead, policyLookup } from '@lead-sla/policy';
import { decision, type CapacityChange, type RoutingDecision } from './routing-decision.types';
import type { PoolSearch } from './pool-rotation.util';
import type { LeadRoutingState, PoolState, QueuedLead, RoutingEnv } from './routing-state.types';

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
  /** A round-robin pick moves the pool's pointer; a direct owner pick does not. */
  readonly pointer: PoolState | null;
}

/**
 * Moves the lead's "awaiting first touch" count from the previous owner to
 * the new one. A lead that was already touched counts for nobody.
 */
export function capacityMove(lead: LeadRoutingState, from: string | null, to: string | null): CapacityChange[] {
  if (!lead.awaitingFirstTouch || from === to) return [];
  const changes: CapacityChange[] = [];
  if (from !== null) changes.push({ repId: from, leadId: lead.leadId, delta: -1 });
  if (to !== null) changes.push({ repId: to, leadId: lead.leadId, delta: 1 });
  return changes;
}

/** The decision that gives `lead` to `repId`, with the LeadAssigned data built from it. */
export function assignTo(change: OwnerChange, env: RoutingEnv): RoutingDecision {
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
  };
  const next: LeadRoutingState = {
    ...lead,
    poolId: change.poolId,
    ruleId: change.ruleId,
    ownerRepId: repId,
    ownerHistory: [...lead.ownerHistory, { repId, assignedAt: env.now, reason: change.reason }],
  };
  return decision({
    emit: [{ type: 'LeadAssigned', leadId: lead.leadId, data }],
    leads: [next],
    capacity: capacityMove(lead, lead.ownerRepId, repId),
    pools: change.pointer ? [change.pointer] : [],
  });
}

/** Nobody can take the lead: park it in the unassigned queue (which has its own SLA clock). */
export function queueLead(
  lead: LeadRoutingState,
  args: { poolId: string; ruleId: string | null; search: PoolSearch; skipped: readonly SkippedRep[]; cause: string; excludeRepIds?: readonly string[]; reassignmentCause?: string | null },
  env: RoutingEnv,
): RoutingDecision {
  const data: LeadQueuedData = {
    poolId: args.poolId,
    ruleId: args.ruleId,
    cause: `${args.cause}: every rep in ${args.search.poolsTried.join(' → ')} was skipped`.slice(0, 500),
    skipped: [...args.skipped],
    policyVersion: env.policy.version,
  };
  const next: LeadRoutingState = { ...lead, poolId: args.poolId, ruleId: args.ruleId, ownerRepId: null };
  const queued: QueuedLead = {
    lead: next,
    queuedAt: env.now,
    excludeRepIds: args.excludeRepIds ?? [],
    reassignmentCause: args.reassignmentCause ?? null,
  };
  return decision({
    emit: [{ type: 'LeadQueued', leadId: lead.leadId, data }],
    leads: [next],
    capacity: capacityMove(lead, lead.ownerRepId, null),
    queue: { add: [queued], remove: [] },
  });
}

export function lastOwner(lead: LeadRoutingState): string | null {
  return lead.ownerHistory.length > 0 ? lead.ownerHistory[lead.ownerHistory.length - 1].repId : null;
}

/** The rule that picks the lead's pool: first match wins, else the default pool. */
export function poolFor(lead: LeadRoutingState, env: RoutingEnv): { poolId: string; ruleId: string | null } {
  const rule = env.policy.routing.rules.find((r) => matchesLead(r.when, lead.attributes));
  return rule ? { poolId: rule.pool, ruleId: rule.id } : { poolId: env.policy.routing.defaultPool, ruleId: null };
}
