import type { ClockKind } from '@lead-sla/contracts';

/**
 * Fair blame: a breach is the rep's miss (rotation penalty, per-rep breach
 * figures) only on a clock the rep controls. The assignment clocks are the
 * platform's; the reply clock measures the lead, not the rep (a lead that
 * does not answer is not the rep's failure).
 */
export const CLOCKS_COUNTED_AS_MISS: readonly ClockKind[] = ['first_touch', 'second_touch', 'accept_reject', 'effort'];

/** The part of the policy countsAsMiss reads: each tier's per-clock setting. */
export interface MissPolicy {
  readonly clocks: { readonly tiers: ReadonlyArray<{ readonly id: string; readonly clocks: Partial<Record<ClockKind, { readonly countsAsMiss?: boolean }>> }> };
}

/** `overrides`: the policy's per-clock `countsAsMiss`, where it sets one. */
export function countsAsMiss(clock: ClockKind, overrides: Partial<Record<ClockKind, boolean>> = {}): boolean {
  return overrides[clock] ?? CLOCKS_COUNTED_AS_MISS.includes(clock);
}

/**
 * The per-clock `countsAsMiss` a tier of the policy sets (clocks.tiers[].clocks.<clock>.countsAsMiss).
 * A tier missing from this policy version (version skew) sets none: the defaults apply.
 */
export function missOverridesOf(policy: MissPolicy, tierId: string): Partial<Record<ClockKind, boolean>> {
  const tier = policy.clocks.tiers.find((t) => t.id === tierId);
  const overrides: Partial<Record<ClockKind, boolean>> = {};
  for (const [clock, p] of Object.entries(tier?.clocks ?? {}) as Array<[ClockKind, { readonly countsAsMiss?: boolean } | undefined]>) {
    if (p?.countsAsMiss !== undefined) overrides[clock] = p.countsAsMiss;
  }
  return overrides;
}

/**
 * A breach is the miss of the rep it names (the rep who held the lead when the clock breached:
 * the timer cancels an owner's clocks when the lead leaves them) when its clock counts as a miss
 * under the policy, in the breach's tier.
 */
export function breachIsRepMiss<B extends { readonly clock: ClockKind; readonly tier: string; readonly ownerRepId: string | null }>(
  policy: MissPolicy,
  breach: B,
): breach is B & { readonly ownerRepId: string } {
  return breach.ownerRepId !== null && countsAsMiss(breach.clock, missOverridesOf(policy, breach.tier));
}
