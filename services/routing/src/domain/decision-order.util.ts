import { deterministicId } from '@lead-sla/contracts';
import { toMs, type DecisionStamp } from './routing-state.types';

/** The step name of a routing decision's n-th emission for one input (part of its derived event id). */
export function routingStep(index: number, type: string): string {
  return `routing-${index}-${type}`;
}

// Far more emissions than one input ever leads to (a queue drain assigns at most one lead per queued lead).
const MAX_STEPS = 10_000;
const stepIndexes = new Map<string, number>();

/**
 * Where a LeadAssigned came among the emissions of its input, recovered
 * from its derived id (-1 when the id was not derived by routing). Memoised:
 * ties are compared again as a drain folds pick after pick.
 */
function stepIndexOf(stamp: DecisionStamp): number {
  const known = stepIndexes.get(stamp.eventId);
  if (known !== undefined) return known;
  let found = -1;
  for (let i = 0; i < MAX_STEPS && found < 0; i++) {
    if (deterministicId(stamp.causeId, routingStep(i, 'LeadAssigned'), 'LeadAssigned') === stamp.eventId) found = i;
  }
  if (stepIndexes.size >= MAX_STEPS) stepIndexes.clear();
  stepIndexes.set(stamp.eventId, found);
  return found;
}

/**
 * How decision `a` is ordered against `b`: by recordedAt, then, within one
 * input's decisions (same cause), by their order in it. Both read only the
 * two events, so a fold keeps the same "latest" or "earliest" in any
 * interleaving of partitions. 0: decided in the same millisecond for two
 * different inputs, which the log cannot order; callers then keep the live
 * order (the one folded last is the latest), so live round robin stays
 * fair. Such a tie is the one case a rebuild may settle differently; a
 * strictly increasing decision time from the runtime would remove it.
 */
export function decisionOrder(a: DecisionStamp, b: DecisionStamp): number {
  const dt = toMs(a.at) - toMs(b.at);
  if (dt !== 0) return Math.sign(dt);
  return a.causeId === b.causeId ? Math.sign(stepIndexOf(a) - stepIndexOf(b)) : 0;
}
