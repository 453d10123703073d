import type { SkipReason } from '@lead-sla/contracts';
import { contains, repStateOf, type RoutingEnv, type RoutingView } from './routing-state.types';

/**
 * "rotation": round robin inside a pool — every skip reason applies.
 * "owner": a lead going to someone it already belongs to (account owner,
 * same contact, back from data cleanup). Only presence counts there: the
 * relationship matters more than load balancing, so rotation and capacity
 * do not apply.
 */
export type EligibilityMode = 'rotation' | 'owner';

/** Why the rep cannot take a lead now, or null when they can. Checked in the order a person would explain it. */
export function skipReasonFor(repId: string, env: RoutingEnv, view: RoutingView, mode: EligibilityMode): SkipReason | null {
  const policyRep = env.policy.reps.find((r) => r.id === repId);
  if (!policyRep) return 'unknown_rep';
  const team = env.policy.teams.find((t) => t.id === policyRep.teamId);
  if (!team) return 'unknown_rep';
  const rep = repStateOf(view, repId);
  if (rep.pto.some((i) => contains(i, env.now))) return 'pto';
  if (!rep.available) return 'unavailable';
  const overridden = rep.shiftOverride !== null && contains(rep.shiftOverride, env.now);
  if (!overridden && !env.isOnShift(repId, team.calendarId, env.now)) return 'off_shift';
  if (mode === 'owner') return null;
  if (!rep.inRotation) return 'out_of_rotation';
  if (rep.openAwaitingFirstTouch >= policyRep.capacity) return 'at_capacity';
  return null;
}
