import type { ClockKind, ClockMath, EscalationAction, EventOf, LeadEvent } from '@lead-sla/contracts';
import type { CalendarPolicy, LadderStep, MatchableLead } from '@lead-sla/policy';

/** The lead events the timer reacts to (DESIGN.md §1, timer row). */
export const TIMER_INPUT_TYPES = [
  'LeadCreated',
  'LeadAssigned',
  'LeadQueued',
  'LeadTouched',
  'LeadAccepted',
  'LeadRejected',
  'DispositionRecorded',
  'LeadRecycled',
  'LeadSuppressed',
] as const;
export type TimerInputType = (typeof TIMER_INPUT_TYPES)[number];
export type TimerInputEvent = EventOf<TimerInputType>;

export function isTimerInput(event: LeadEvent): event is TimerInputEvent {
  return (TIMER_INPUT_TYPES as readonly string[]).includes(event.type);
}

export type TimerEmittedEvent = EventOf<
  'SlaClockStarted' | 'SlaClockStopped' | 'SlaWarning' | 'SlaBreached' | 'SlaEscalated' | 'LeadAcknowledged'
>;

export interface Owner {
  readonly repId: string;
  readonly teamId: string;
  readonly managerId: string | null;
}

/**
 * One running (or breached, or just stopped) clock. It carries a snapshot of
 * the policy it started under (calendar, ladder, version), so a policy change
 * only affects clocks started after it.
 */
export interface ClockState {
  readonly clockId: string;
  readonly clock: ClockKind;
  /** running → breached (ladder under way) → gone; running → stopped. */
  readonly status: 'running' | 'breached' | 'stopped';
  readonly tier: string;
  readonly owner: Owner | null;
  readonly calendar: CalendarPolicy;
  readonly math: ClockMath;
  readonly warnAt: string | null;
  readonly ladder: readonly LadderStep[];
  readonly policyVersion: string;
  readonly correlationId: string;
  /** The event that started the clock: the causation of what the clock emits. */
  readonly startedByEventId: string;
  readonly stoppedAt: string | null;
  /** Deadline rows scheduled and neither fired nor cancelled. */
  readonly pendingDeadlineIds: readonly string[];
}

/** The timer's state for one lead (one row, JSON-serialisable). */
export interface LeadTimerState {
  readonly leadId: string;
  /** From LeadCreated; tiers are matched on it each time a clock starts. */
  readonly lead: MatchableLead | null;
  readonly owner: Owner | null;
  /** An after-hours acknowledgement was sent (at most once per lead). */
  readonly acknowledged: boolean;
  /** The SAL decision (accept/reject) was made: accept_reject does not restart. */
  readonly salDecided: boolean;
  /** The lead got its first owned touch: response does not restart. */
  readonly responded: boolean;
  /** Owned touches by the current owner (the effort clock is met at the policy's minimum). */
  readonly attempts?: number;
  readonly closed: boolean;
  readonly clocks: readonly ClockState[];
}

export function initialTimerState(leadId: string): LeadTimerState {
  return { leadId, lead: null, owner: null, acknowledged: false, salDecided: false, responded: false, closed: false, clocks: [] };
}

export type DeadlineKind = 'warning' | 'breach' | 'escalation';

/**
 * A deadline to persist (DESIGN.md §4: deadlines are rows). It holds all the
 * facts needed to emit its event without re-reading the policy.
 */
export interface DeadlineRow {
  /** Deterministic from clockId, kind and step: safe as a primary key and for upserts. */
  readonly deadlineId: string;
  readonly clockId: string;
  readonly leadId: string;
  readonly clock: ClockKind;
  readonly kind: DeadlineKind;
  /** 0 for warning and breach; n for the n-th escalation step. */
  readonly step: number;
  readonly dueAt: string;
  readonly tier: string;
  readonly ownerRepId: string | null;
  readonly teamId: string | null;
  readonly managerId: string | null;
  /** The clock's deadline computation (escalations carry the breached deadline's math). */
  readonly math: ClockMath;
  readonly warnAt: string | null;
  readonly action: EscalationAction | null;
  readonly lastStep: boolean | null;
  readonly policyVersion: string;
  readonly correlationId: string;
  readonly causationId: string;
}

/** What a decider returns: the new state and the effects to apply in one transaction. */
export interface TimerDecision {
  readonly state: LeadTimerState;
  readonly schedule: readonly DeadlineRow[];
  /** deadlineIds to delete (or mark cancelled). */
  readonly cancel: readonly string[];
  readonly emit: readonly TimerEmittedEvent[];
}

/** A deadline row as stored: the decider's row plus the lead's partition of lead-events.v1 (which instance fires it). */
export interface StoredDeadline {
  readonly row: DeadlineRow;
  readonly partition: number;
}
