import { assignTo, homePoolOf } from '../domain/assignment.util';
import { pickWithOverflow } from '../domain/pool-rotation.util';
import { poolIsAfterHours, skipReasonFor } from '../domain/rep-eligibility.util';
import type { RoutingEmission } from '../domain/routing-emission.types';
import { toMs, type RoutingEnv, type RoutingState, type RoutingView } from '../domain/routing-state.types';

/**
 * Someone may have become able to take leads (availability, reinstatement,
 * capacity freed): assign queued leads, oldest first. A lead nobody can
 * take stays queued and the drain goes on to the next one, whose pool may
 * differ. Each pick is folded (`fold`: routing's evolve) before the next,
 * so one freed slot is not handed out twice. `skip`: leads not to drain.
 */
export function decideDrainQueue(
  state: RoutingState,
  env: RoutingEnv,
  skip: ReadonlySet<string>,
  fold: (s: RoutingState, e: RoutingEmission) => RoutingState,
): RoutingEmission[] {
  const fifo = [...state.queue.values()]
    .filter((q) => !skip.has(q.leadId))
    .sort((a, b) => toMs(a.queuedAt) - toMs(b.queuedAt) || a.leadId.localeCompare(b.leadId));
  // A long queue (say overnight, every team off shift) would otherwise be searched rep by rep on every event.
  if (fifo.length === 0 || !someoneCanTakeLeads(state, env)) return [];
  const out: RoutingEmission[] = [];
  let working = state;
  for (const queued of fifo) {
    const lead = working.leads.get(queued.leadId);
    if (lead === undefined) continue;
    // A lead queued for a pool the policy has since dropped is drained into the default pool.
    const search = pickWithOverflow(homePoolOf(lead.poolId, env), env, working, new Set(queued.excludeRepIds));
    if (!search.pick) continue;
    const assigned = assignTo(
      {
        lead,
        repId: search.pick.repId,
        poolId: search.pick.poolId,
        ruleId: lead.ruleId,
        reason: 'queue_drain',
        skipped: search.skipped,
        reassignment: queued.reassignmentCause !== null,
        reassignmentCause: queued.reassignmentCause,
      },
      env,
    );
    out.push(assigned);
    working = fold(working, assigned);
  }
  return out;
}

/** Whether any pool has a rep who could take a round-robin lead now: if not, no queued lead can be drained. */
export function someoneCanTakeLeads(view: RoutingView, env: RoutingEnv): boolean {
  return env.policy.pools.some((pool) => {
    const afterHours = poolIsAfterHours(pool.id, env, view);
    return pool.reps.some((repId) => skipReasonFor(repId, env, view, 'rotation', { afterHours }) === null);
  });
}
