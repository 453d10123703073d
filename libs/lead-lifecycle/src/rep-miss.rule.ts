import type { ClockKind } from '@lead-sla/contracts';

/**
 * Fair blame: a breach is the rep's miss (rotation penalty, per-rep breach
 * figures) only on a clock the rep controls. The assignment clocks are the
 * platform's; the reply clock measures the lead, not the rep (a lead that
 * does not answer is not the rep's failure).
 */
export const CLOCKS_COUNTED_AS_MISS: readonly ClockKind[] = ['first_touch', 'second_touch', 'accept_reject', 'effort'];

/** `overrides`: the policy's per-clock `countsAsMiss`, where it sets one. */
export function countsAsMiss(clock: ClockKind, overrides: Partial<Record<ClockKind, boolean>> = {}): boolean {
  return overrides[clock] ?? CLOCKS_COUNTED_AS_MISS.includes(clock);
}
