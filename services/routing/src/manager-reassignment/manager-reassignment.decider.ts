import type { LeadReassignmentRequestedData } from '@lead-sla/contracts';
import { assignTo, homePoolOf } from '../domain/assignment.util';
import type { RoutingEmission } from '../domain/routing-emission.types';
import type { LeadRoutingState, RoutingEnv } from '../domain/routing-state.types';

/** The pool the chosen rep takes the lead in: the lead's own when the rep is in it, else the first pool that lists the rep. */
export function poolForChosenRep(lead: LeadRoutingState, repId: string, env: RoutingEnv): string {
  const home = homePoolOf(lead.poolId, env);
  if (env.policy.pools.find((p) => p.id === home)?.reps.includes(repId)) return home;
  return env.policy.pools.find((p) => p.reps.includes(repId))?.id ?? home;
}

/**
 * A manager's reassignment (LeadReassignmentRequested, authorized by routing's
 * HTTP API before it was published): the lead goes to the rep the manager
 * chose, even one the round robin would skip — a person decided, knowing the
 * rep. Ignored when the lead has moved on since the manager looked (another
 * owner than `fromRepId`, left routing), when the rep already owns it, or
 * when the policy in force no longer has the rep. Not an SLA fallback
 * (`reassignment: false`), and the pool's round-robin pointer stays put.
 */
export function decideManagerReassignment(request: LeadReassignmentRequestedData, lead: LeadRoutingState | null, env: RoutingEnv): RoutingEmission[] {
  if (lead === null || lead.released !== undefined) return [];
  if (lead.ownerRepId !== request.fromRepId || lead.ownerRepId === request.toRepId) return [];
  if (!env.policy.reps.some((r) => r.id === request.toRepId)) return [];
  const by = `${request.actor.role} ${request.actor.id}`;
  return [
    assignTo(
      {
        lead,
        repId: request.toRepId,
        poolId: poolForChosenRep(lead, request.toRepId, env),
        ruleId: lead.ruleId,
        reason: 'reassignment',
        skipped: [],
        reassignment: false,
        reassignmentCause: `reassigned by ${by}${request.note ? `: ${request.note}` : ''}`.slice(0, 500),
      },
      env,
    ),
  ];
}
