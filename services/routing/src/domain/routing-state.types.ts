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
  /**
   * Misses inside the rolling penalty window of the newest one kept (older
   * ones are pruned as misses arrive), oldest first; decide counts only
   * those inside the window at its own time.
   */
  readonly misses: readonly RepMiss[];
  /**
   * When a manager last reinstated the rep: misses breached at or before it
   * are cleared, even when their SlaBreached (on the lead's partition) is
   * folded after the reinstatement (on the rep's partition).
   */
  readonly missesClearedAt: Instant | null;
}

/**
 * Where a cross-partition value came from: the decision event and when it
 * was recorded. Folds compare these (`decisionOrder`), so the value kept does
 * not depend on the order partitions are interleaved in.
 */
export interface DecisionStamp {
  /** recordedAt of the decision event. */
  readonly at: Instant;
  readonly eventId: string;
  /** Its causationId: the input it answered. */
  readonly causeId: string;
}

/** The round-robin pointer of one pool, persisted so rotation stays fair across restarts. */
export interface PoolState {
  readonly poolId: string;
  /** The rep who got the pool's last round-robin lead; null before the first. */
  readonly lastAssignedRepId: string | null;
  /** The LeadAssigned that set the pointer: a round-robin pick moves it only when recorded later. */
  readonly lastAssigned: DecisionStamp | null;
}

/** A company's owner learned from the first round-robin assignment of one of its leads (the earliest decision wins). */
export interface LearnedOwner extends DecisionStamp {
  readonly repId: string;
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

/** A reassignment an SLA event asked for, kept on the lead until its LeadAssigned or LeadQueued is folded. */
export interface PendingReassignment {
  /** Human-readable, carried into LeadAssigned.reassignmentCause. */
  readonly cause: string;
  /** Reps the lead must not go back to (current and recent owners). */
  readonly excludeRepIds: readonly string[];
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
   * re-qualifies), suppressed for good, or never routed (an inquiry below
   * the MQL threshold, until it re-qualifies). Absent while routing owns it.
   */
  readonly released?: 'recycled' | 'suppressed' | 'inquiry';
  /**
   * Carried to every new owner on LeadAssigned: the next step of the lead's
   * last verified disposition, or the open touch task of the reply clock's
   * ladder, whichever came last (a task ends when the owner touches the lead).
   */
  readonly nextAction?: string;
  /** The next action is an open touch task (an owned touch does it). */
  readonly nextActionIsTask?: boolean;
  /** Next steps of dispositions not verified yet, by LeadDispositioned event id (DispositionRecorded names it). */
  readonly pendingNextSteps?: Readonly<Record<string, string>>;
  /** Set by an SLA breach or escalation that reassigns; the decision it leads to clears it. */
  readonly pendingReassignment?: PendingReassignment;
}

/** Another lead of the same contact, for the duplicate window. */
export interface ContactLead {
  readonly leadId: string;
  readonly createdAt: Instant;
  readonly ownerRepId: string | null;
}

/** A lead parked in the unassigned queue (its state is in `RoutingState.leads`). Drained first in, first out. */
export interface QueuedLead {
  readonly leadId: string;
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

/** The rep and pool part of the state: what rep eligibility and round robin read. */
export interface RoutingView {
  /** Reps without an entry are fresh: available, in rotation, nothing open. */
  readonly reps: ReadonlyMap<string, RepState>;
  readonly pools: ReadonlyMap<string, PoolState>;
  /** Company domain (lower case) → rep, learned from earlier assignments. */
  readonly learnedAccountOwners: ReadonlyMap<string, LearnedOwner>;
}

/** A contact routing must never route again (do not contact, consent withdrawn); the earliest suppression is kept. */
export interface SuppressedContact {
  readonly leadId: string;
  readonly cause: string;
  /** When the suppressing fact occurred (ties: the lower lead id is kept). */
  readonly suppressedAt: Instant;
}

/**
 * One entry of a lead's decision log (what the why endpoint shows), built
 * from the one event folded: a decision (LeadAssigned / LeadQueued) names
 * its cause by id only, since a fold of the logged decision has no cause
 * event at hand; a note is written while folding its cause, so it names
 * the cause's type too.
 */
export interface DecisionLogEntry {
  readonly kind: 'LeadAssigned' | 'LeadQueued' | 'Note';
  readonly eventId: string | null;
  /** Notes only. */
  readonly causeType?: string;
  readonly causeEventId: string;
  readonly decidedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Everything routing decides on for one batch: the reps and pools it may
 * touch (locked; route-event/batch-footprint.ts — a rep or pool not loaded
 * is one the batch's decisions never read), the whole unassigned queue,
 * the leads the batch touches with the other leads of their contacts,
 * those contacts' suppression and the learned owners of their companies.
 * `evolve` is the one place it changes.
 */
export interface RoutingState extends RoutingView {
  readonly leads: ReadonlyMap<string, LeadRoutingState>;
  /** Each lead's decision log, oldest first. */
  readonly logs: ReadonlyMap<string, readonly DecisionLogEntry[]>;
  /** The unassigned queue by lead id. */
  readonly queue: ReadonlyMap<string, QueuedLead>;
  /** By contact key. */
  readonly suppressedContacts: ReadonlyMap<string, SuppressedContact>;
  /**
   * The fact being folded: names the cause of the notes its fold writes in
   * the decision log. Not persisted.
   */
  readonly folding: { readonly eventId: string; readonly type: string } | null;
}

export function freshRepState(repId: string): RepState {
  return { repId, available: true, pto: [], shiftOverride: null, inRotation: true, openAwaitingFirstTouch: 0, misses: [], missesClearedAt: null };
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
