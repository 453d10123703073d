import type { Policy } from '@lead-sla/policy';

/** An ISO-8601 instant with offset, as carried by events (e.g. "2026-11-24T09:00:00Z"). */
export type Instant = string;

/** A half-open interval [from, to): PTO or a shift override. */
export interface Interval {
  readonly from: Instant;
  readonly to: Instant;
}

/** One SLA miss attributed to a rep (same shape as the contracts' RotationMiss). */
export interface RepMiss {
  readonly leadId: string;
  readonly clock: string;
  readonly breachedAt: Instant;
}

/** What routing knows about a rep at run time (the policy holds the static part: team, capacity). */
export interface RepState {
  readonly repId: string;
  /** false after RepAvailabilityChanged "unavailable", true after "available". */
  readonly available: boolean;
  readonly pto: readonly Interval[];
  /** While it contains now, the rep counts as on shift whatever the team calendar says. */
  readonly shiftOverride: Interval | null;
  readonly inRotation: boolean;
  /** Open leads owned by the rep that still await their first owned touch. */
  readonly openAwaitingFirstTouch: number;
  /** Misses inside the rolling penalty window (older ones are pruned on the next miss). */
  readonly misses: readonly RepMiss[];
}

/** A rep update without the open count: capacity only ever moves by CapacityChange deltas. */
export type RepUpdate = Omit<RepState, 'openAwaitingFirstTouch'>;

/** The round-robin pointer of one pool, persisted so rotation stays fair across restarts. */
export interface PoolState {
  readonly poolId: string;
  /** The rep who got the pool's last round-robin lead; null before the first. */
  readonly lastAssignedRepId: string | null;
}

/** The lead attributes routing rules match on (the policy's MatchableLead). */
export interface LeadAttributes {
  readonly source: string;
  readonly territory: string;
  readonly segment: string;
  readonly intentTier: string;
  readonly vip: boolean;
}

export interface OwnerRecord {
  readonly repId: string;
  readonly assignedAt: Instant;
  readonly reason: string;
}

/** Routing's state of one lead. */
export interface LeadRoutingState {
  readonly leadId: string;
  readonly createdAt: Instant;
  readonly attributes: LeadAttributes;
  readonly contactKey: string;
  /** Lower-cased company domain, if known. */
  readonly accountDomain: string | null;
  /** The pool the lead currently belongs to (its owner's pool, or the pool it is queued for). */
  readonly poolId: string | null;
  readonly ruleId: string | null;
  /** null while the lead waits in the unassigned queue. */
  readonly ownerRepId: string | null;
  /** Every owner in order, oldest first; the last one is the current or most recent owner. */
  readonly ownerHistory: readonly OwnerRecord[];
  /** True until the owner's first owned touch; while true the lead counts toward the owner's capacity. */
  readonly awaitingFirstTouch: boolean;
  /**
   * Set when the lead left routing: recycled to nurture (until it
   * re-qualifies) or suppressed for good. Absent while routing owns it.
   */
  readonly released?: 'recycled' | 'suppressed';
}

/** Another lead of the same contact, for the duplicate window. */
export interface ContactLead {
  readonly leadId: string;
  readonly createdAt: Instant;
  readonly ownerRepId: string | null;
}

/** A lead parked in the unassigned queue. Drained first in, first out. */
export interface QueuedLead {
  readonly lead: LeadRoutingState;
  readonly queuedAt: Instant;
  /** Reps the lead must not go to (recent owners, for a queued reassignment). */
  readonly excludeRepIds: readonly string[];
  /** Set when the lead was queued by an SLA reassignment: its assignment is then a reassignment. */
  readonly reassignmentCause: string | null;
}

/**
 * Is the rep on shift now under the team's coverage calendar? Injected so
 * the decider stays pure and does not depend on how calendars are computed
 * (libs/sla-clock `isCovered` is the intended implementation).
 */
export type OnShiftPort = (repId: string, teamCalendarId: string, now: Instant) => boolean;

/** Everything a decision depends on that is not state: the policy, the time, the calendar port. */
export interface RoutingEnv {
  readonly policy: Policy;
  readonly now: Instant;
  readonly isOnShift: OnShiftPort;
}

/** The state a decision reads; the wiring loads it (pool rows FOR UPDATE) before calling a decider. */
export interface RoutingView {
  /** Reps without an entry are fresh: available, in rotation, nothing open. */
  readonly reps: ReadonlyMap<string, RepState>;
  readonly pools: ReadonlyMap<string, PoolState>;
  /** Company domain (lower case) → rep, learned from earlier assignments. */
  readonly learnedAccountOwners: ReadonlyMap<string, string>;
}

export function freshRepState(repId: string): RepState {
  return { repId, available: true, pto: [], shiftOverride: null, inRotation: true, openAwaitingFirstTouch: 0, misses: [] };
}

export function repStateOf(view: RoutingView, repId: string): RepState {
  return view.reps.get(repId) ?? freshRepState(repId);
}

export function toMs(t: Instant): number {
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`routing: "${t}" is not an ISO-8601 instant`);
  return ms;
}

export function contains(interval: Interval, t: Instant): boolean {
  const at = toMs(t);
  return toMs(interval.from) <= at && at < toMs(interval.to);
}
