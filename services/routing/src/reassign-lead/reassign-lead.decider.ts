import { policyLookup } from '@lead-sla/policy';
import { assignTo, homePoolOf, queueLead } from '../domain/assignment.util';
import { pickWithOverflow } from '../domain/pool-rotation.util';
import type { RoutingEmission } from '../domain/routing-emission.types';
import type { LeadRoutingState, PendingReassignment, RoutingEnv, RoutingView } from '../domain/routing-state.types';

export interface ReassignLeadCommand {
  /** The owner the SLA event was about; a stale event (the lead has moved on) changes nothing. */
  readonly ownerRepId: string | null;
  /** Human-readable, carried into LeadAssigned.reassignmentCause. */
  readonly cause: string;
}

/**
 * The owners a reassignment must not go back to: the current owner and the
 * previous distinct owners, `excludeRecentOwners` in all (never fewer than
 * the current owner, or the lead would bounce straight back).
 */
export function recentOwners(lead: LeadRoutingState, excludeRecentOwners: number): Set<string> {
  const recent = new Set<string>();
  if (lead.ownerRepId !== null) recent.add(lead.ownerRepId);
  for (let i = lead.ownerHistory.length - 1; i >= 0 && recent.size < Math.max(excludeRecentOwners, 1); i--) {
    recent.add(lead.ownerHistory[i].repId);
  }
  return recent;
}

/**
 * The reassignment an SLA event asks for, or null when it is stale (the
 * lead has no owner, or another one than the event was about). Evolve
 * keeps it on the lead, so a lead it queues stays a reassignment.
 */
export function reassignmentFor(cmd: ReassignLeadCommand, lead: LeadRoutingState | null, env: RoutingEnv): PendingReassignment | null {
  if (lead === null || lead.ownerRepId === null || lead.ownerRepId !== cmd.ownerRepId) return null;
  return { cause: cmd.cause, excludeRepIds: [...recentOwners(lead, env.policy.routing.excludeRecentOwners)] };
}

/**
 * Stage handoff: a lead reaching SQL goes to the policy's AE pool
 * (`routing.aePool`) by round robin there (overflowing to its backups),
 * unless its owner is already in that pool; nobody free → the queue, for
 * that pool. Nothing without an AE pool, for a lead routing does not own
 * (released, queued, unknown) or for another stage.
 */
export function decideStageHandoff(stage: { to: string }, lead: LeadRoutingState | null, view: RoutingView, env: RoutingEnv): RoutingEmission[] {
  const aePool = env.policy.routing.aePool;
  if (aePool === undefined || stage.to !== 'sql' || lead === null || lead.released !== undefined || lead.ownerRepId === null) return [];
  if (policyLookup.pool(env.policy, aePool).reps.includes(lead.ownerRepId)) return [];
  const search = pickWithOverflow(aePool, env, view, new Set([lead.ownerRepId]));
  const cause = 'reached SQL: handoff to the AE pool';
  if (!search.pick) return [queueLead(lead, { poolId: aePool, ruleId: lead.ruleId, search, skipped: search.skipped, cause }, env)];
  return [
    assignTo(
      { lead, repId: search.pick.repId, poolId: search.pick.poolId, ruleId: lead.ruleId, reason: 'stage_handoff', skipped: search.skipped, reassignment: false, reassignmentCause: cause },
      env,
    ),
  ];
}

/**
 * SLA fallback: move the lead to its pool's backup pool (round robin
 * there, then the backup's backups), never to a recent owner. A pool
 * without a backup reassigns inside itself. When nobody can take it the
 * lead goes to the unassigned queue rather than staying with the owner
 * who missed.
 */
export function decideReassignLead(cmd: ReassignLeadCommand, lead: LeadRoutingState | null, view: RoutingView, env: RoutingEnv): RoutingEmission[] {
  const request = reassignmentFor(cmd, lead, env);
  if (lead === null || request === null) return [];
  const homePoolId = homePoolOf(lead.poolId, env);
  const startPoolId = policyLookup.pool(env.policy, homePoolId).backupPoolId ?? homePoolId;
  const search = pickWithOverflow(startPoolId, env, view, new Set(request.excludeRepIds));
  if (!search.pick) {
    return [queueLead(lead, { poolId: startPoolId, ruleId: lead.ruleId, search, skipped: search.skipped, cause: `${cmd.cause}; no rep to reassign to` }, env)];
  }
  return [
    assignTo(
      {
        lead,
        repId: search.pick.repId,
        poolId: search.pick.poolId,
        ruleId: lead.ruleId,
        reason: 'reassignment',
        skipped: search.skipped,
        reassignment: true,
        reassignmentCause: cmd.cause.slice(0, 500),
      },
      env,
    ),
  ];
}
