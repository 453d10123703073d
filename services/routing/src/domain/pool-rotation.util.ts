import type { SkippedRep } from '@lead-sla/contracts';
import { policyLookup } from '@lead-sla/policy';
import { homePoolOf } from './assignment.util';
import { poolIsAfterHours, skipReasonFor } from './rep-eligibility.util';
import type { RoutingEnv, RoutingView } from './routing-state.types';

export interface PoolPick {
  readonly repId: string;
  readonly poolId: string;
}

export interface PoolSearch {
  /** undefined when every pool in the chain was skipped. */
  readonly pick: PoolPick | undefined;
  readonly skipped: readonly SkippedRep[];
  /** The pools tried, in order (the first, then its backups). */
  readonly poolsTried: readonly string[];
}

/**
 * Round robin with skip inside one pool: start after the rep who got the
 * last lead and take the first rep who can take one. Skipped reps are not
 * compensated later, so load follows availability. After hours (nobody of
 * the pool on shift) the shift check is waived: the lead gets an owner now.
 */
function pickInPool(
  poolId: string,
  env: RoutingEnv,
  view: RoutingView,
  exclude: ReadonlySet<string>,
): { pick: PoolPick | undefined; skipped: SkippedRep[] } {
  const pool = policyLookup.pool(env.policy, poolId);
  const last = view.pools.get(poolId)?.lastAssignedRepId ?? null;
  // A pointer at a rep who has left the pool restarts the rotation at the top.
  const start = last === null ? 0 : pool.reps.indexOf(last) + 1;
  const skipped: SkippedRep[] = [];
  const afterHours = poolIsAfterHours(poolId, env, view);
  for (let k = 0; k < pool.reps.length; k++) {
    const repId = pool.reps[(start + k) % pool.reps.length];
    const reason = exclude.has(repId) ? 'recent_owner' : skipReasonFor(repId, env, view, 'rotation', { afterHours });
    if (reason === null) return { pick: { repId, poolId }, skipped };
    skipped.push({ repId, reason });
  }
  return { pick: undefined, skipped };
}

/**
 * Tries `firstPoolId`, then its backup, the backup's backup, and so on.
 * Never holds the queue: a pool where everyone is skipped overflows. A
 * chain that loops back stops at the first pool seen twice.
 */
export function pickWithOverflow(
  firstPoolId: string,
  env: RoutingEnv,
  view: RoutingView,
  exclude: ReadonlySet<string> = new Set(),
): PoolSearch {
  const skipped: SkippedRep[] = [];
  const poolsTried: string[] = [];
  // A pool the policy no longer has (dropped by a reload) routes in the default pool.
  let poolId: string | undefined = homePoolOf(firstPoolId, env);
  while (poolId !== undefined && !poolsTried.includes(poolId)) {
    poolsTried.push(poolId);
    const found = pickInPool(poolId, env, view, exclude);
    // A rep in two pools is reported once, with the first reason seen.
    for (const s of found.skipped) if (!skipped.some((x) => x.repId === s.repId)) skipped.push(s);
    if (found.pick) return { pick: found.pick, skipped, poolsTried };
    poolId = policyLookup.pool(env.policy, poolId).backupPoolId;
  }
  return { pick: undefined, skipped, poolsTried };
}
