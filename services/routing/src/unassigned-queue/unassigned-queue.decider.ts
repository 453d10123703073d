import { assignTo } from '../domain/assignment.util';
import { pickWithOverflow } from '../domain/pool-rotation.util';
import { decision, mergeDecisions, noDecision, type RoutingDecision } from '../domain/routing-decision.types';
import { repStateOf, toMs, type QueuedLead, type RoutingEnv, type RoutingView } from '../domain/routing-state.types';

/**
 * Someone may have become able to take leads (availability, reinstatement,
 * capacity freed): assign queued leads, oldest first. A lead nobody can
 * take stays queued and the drain goes on to the next one, whose pool may
 * differ. Each pick updates capacity and pointers before the next, so one
 * freed slot is not handed out twice.
 */
export function decideDrainQueue(queue: readonly QueuedLead[], view: RoutingView, env: RoutingEnv): RoutingDecision {
  const fifo = [...queue].sort((a, b) => toMs(a.queuedAt) - toMs(b.queuedAt) || a.lead.leadId.localeCompare(b.lead.leadId));
  const reps = new Map(view.reps);
  const pools = new Map(view.pools);
  let result = noDecision;
  for (const queued of fifo) {
    const working: RoutingView = { ...view, reps, pools };
    const poolId = queued.lead.poolId ?? env.policy.routing.defaultPool;
    const search = pickWithOverflow(poolId, env, working, new Set(queued.excludeRepIds));
    if (!search.pick) continue;
    const { repId } = search.pick;
    const assigned = assignTo(
      {
        lead: queued.lead,
        repId,
        poolId: search.pick.poolId,
        ruleId: queued.lead.ruleId,
        reason: 'queue_drain',
        skipped: search.skipped,
        reassignment: queued.reassignmentCause !== null,
        reassignmentCause: queued.reassignmentCause,
        pointer: search.pick.pointer,
      },
      env,
    );
    result = mergeDecisions(result, mergeDecisions(assigned, decision({ queue: { add: [], remove: [queued.lead.leadId] } })));
    const rep = repStateOf(working, repId);
    const delta = assigned.capacity.filter((c) => c.repId === repId).reduce((n, c) => n + c.delta, 0);
    reps.set(repId, { ...rep, openAwaitingFirstTouch: rep.openAwaitingFirstTouch + delta });
    pools.set(search.pick.poolId, search.pick.pointer);
  }
  return result;
}
