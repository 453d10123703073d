import type { SkipReason } from '@lead-sla/contracts';
import { contains, repStateOf, type RoutingEnv, type RoutingView } from './routing-state.types';

/**
 * "rotation": round robin inside a pool — every skip reason applies.
 * "direct": a new lead going straight to a rep the contact or company
 * already has (duplicate, account owner). Presence and rotation removal
 * apply, capacity does not (the relationship matters more than load
 * balancing). Rotation removal applies because it is the manager's control
 * over a rep who keeps missing SLAs: a direct route that ignored it would
 * keep feeding that rep new leads until the manager reinstates them.
 * "owner": the rep's own lead coming back (from data cleanup): presence only.
 */
export type EligibilityMode = 'rotation' | 'direct' | 'owner';

export interface EligibilityOptions {
  /** After hours (`poolIsAfterHours`): the shift check is waived, every other reason still applies. */
  readonly afterHours?: boolean;
}

/** Is the rep on shift now: a shift override containing now, else the team's coverage calendar. Unknown reps are not. */
export function isRepOnShift(repId: string, env: RoutingEnv, view: RoutingView): boolean {
  const policyRep = env.policy.reps.find((r) => r.id === repId);
  const team = policyRep && env.policy.teams.find((t) => t.id === policyRep.teamId);
  if (!team) return false;
  const rep = repStateOf(view, repId);
  if (rep.shiftOverride !== null && contains(rep.shiftOverride, env.now)) return true;
  return env.isOnShift(repId, team.calendarId, env.now);
}

/**
 * A pool is after hours when none of its reps is on shift (its team's
 * coverage is closed and nobody has a shift override). Under the policy's
 * `routing.afterHours: assign_in_pool` (the default) a lead then still gets
 * an owner at once: the shift check is waived for that pool. A pool of
 * unknown id is never after hours.
 */
export function poolIsAfterHours(poolId: string, env: RoutingEnv, view: RoutingView): boolean {
  if (env.policy.routing.afterHours !== 'assign_in_pool') return false;
  const pool = env.policy.pools.find((p) => p.id === poolId);
  return pool !== undefined && pool.reps.length > 0 && pool.reps.every((repId) => !isRepOnShift(repId, env, view));
}

/** Why the rep cannot take a lead now, or null when they can. Checked in the order a person would explain it. */
export function skipReasonFor(repId: string, env: RoutingEnv, view: RoutingView, mode: EligibilityMode, options: EligibilityOptions = {}): SkipReason | null {
  const policyRep = env.policy.reps.find((r) => r.id === repId);
  if (!policyRep) return 'unknown_rep';
  const team = env.policy.teams.find((t) => t.id === policyRep.teamId);
  if (!team) return 'unknown_rep';
  const rep = repStateOf(view, repId);
  if (rep.pto.some((i) => contains(i, env.now))) return 'pto';
  if (!rep.available) return 'unavailable';
  if (!options.afterHours && !isRepOnShift(repId, env, view)) return 'off_shift';
  if (mode === 'owner') return null;
  if (!rep.inRotation) return 'out_of_rotation';
  if (mode === 'direct') return null;
  if (rep.openAwaitingFirstTouch >= policyRep.capacity) return 'at_capacity';
  return null;
}
