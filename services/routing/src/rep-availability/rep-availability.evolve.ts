import { assertNever } from '@lead-sla/contracts';
import type { RepAvailabilityChangedData } from '@lead-sla/contracts';
import { contains, toMs, type Interval, type RepState, type RoutingEnv } from '../domain/routing-state.types';

/** Applies an availability fact to a rep (evolve). Intervals that have ended are dropped on the way. */
export function evolveRepAvailability(rep: RepState, change: RepAvailabilityChangedData, env: RoutingEnv): RepState {
  const now = toMs(env.now);
  const pto = rep.pto.filter((i) => toMs(i.to) > now);
  const interval = (): Interval => {
    if (!change.from || !change.to) throw new Error(`RepAvailabilityChanged v1 "${change.status}" for ${rep.repId} needs "from" and "to"`);
    return { from: change.from, to: change.to };
  };
  switch (change.status) {
    case 'available':
      // Back early: a PTO interval running now is over.
      return { ...rep, available: true, pto: pto.filter((i) => !contains(i, env.now)) };
    case 'unavailable':
      return { ...rep, available: false, pto };
    case 'pto':
      return { ...rep, pto: [...pto, interval()] };
    case 'shift_override':
      return { ...rep, pto, shiftOverride: interval() };
    default: {
      return assertNever(change.status, 'RepAvailabilityChanged v1 status');
    }
  }
}
