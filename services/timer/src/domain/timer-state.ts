import type { Channel, ClockKind, ClockMath, EscalationAction, EventOf } from '@lead-sla/contracts';
import type { CalendarPolicy, LadderStep, MatchableLead, Policy } from '@lead-sla/policy';

/** What the timer consumes (DESIGN.md §1, timer row), its own fired events included: the timer's state is rebuilt from the log. */
export const TIMER_INPUT_TYPES = [
  'LeadCreated',
  'LeadAssigned',
  'LeadQueued',
  'LeadTouched',
  'SalDecisionRecorded',
  'DispositionRecorded',
  'LeadRecycled',
  'LeadSuppressed',
  'SlaWarning',
  'SlaBreached',
  'SlaEscalated',
] as const;
export type TimerInputType = (typeof TIMER_INPUT_TYPES)[number];
export type TimerInputEvent = EventOf<TimerInputType>;

/** What a due deadline fires. */
export type FiredEvent = EventOf<'SlaWarning' | 'SlaBreached' | 'SlaEscalated'>;
export type TimerEmittedEvent = EventOf<'SlaClockStarted' | 'SlaClockStopped' | 'LeadAcknowledged'> | FiredEvent;
/** Every event evolve folds: inputs, and what decide and firing emit. */
export type TimerEvent = TimerInputEvent | TimerEmittedEvent;

/**
 * W3C trace context (traceparent, tracestate) as header strings. Telemetry,
 * never state: it is stored beside a deadline row (not in the lead's state),
 * so what the row fires continues the trace of the event that caused it.
 */
export type TraceContext = Readonly<Record<string, string>>;

/** The decision environment of one input: the policy in force. */
export interface TimerEnv {
  readonly policy: Policy;
}

export interface Owner {
  readonly repId: string;
  readonly teamId: string;
  readonly managerId: string | null;
}

/**
 * The team a lead without an owner waits on (the pool routing sends it to):
 * the assign and queue clocks run on its calendar, and its manager hears of
 * their breaches.
 */
export interface WaitingTeam {
  readonly teamId: string;
  readonly managerId: string;
}

export type DeadlineKind = 'warning' | 'breach' | 'escalation';

/** A deadline a clock waits for; it is a row of timer.deadlines while pending. */
export interface PendingDeadline {
  /** Deterministic from clockId, kind and step (deadlineIdOf). */
  readonly deadlineId: string;
  readonly kind: DeadlineKind;
  /** 0 for warning and breach; n for the n-th escalation step. */
  readonly step: number;
  readonly dueAt: string;
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
  /** Assign and queue clocks: the team the lead waits on (absent in states stored before it existed). */
  readonly waitingOn?: WaitingTeam | null;
  readonly calendar: CalendarPolicy;
  readonly math: ClockMath;
  readonly warnAt: string | null;
  readonly ladder: readonly LadderStep[];
  readonly policyVersion: string;
  readonly correlationId: string;
  /** The event that started the clock: the causation of what the clock fires (and whose trace its rows store). */
  readonly startedByEventId: string;
  readonly stoppedAt: string | null;
  /** Deadlines neither fired nor cancelled: exactly the clock's pending rows in timer.deadlines. */
  readonly pending: readonly PendingDeadline[];
}

/** One owned touch, toward the minimum effort. */
export interface OwnedAttempt {
  readonly at: string;
  readonly channel: Channel;
}

/** The timer's state for one lead (one row, JSON-serialisable). */
export interface LeadTimerState {
  readonly leadId: string;
  /** From LeadCreated; tiers are matched on it each time a clock starts. */
  readonly lead: MatchableLead | null;
  /** From LeadCreated: the channels the lead can be reached on (minimum effort asks for more than one when there are several). */
  readonly channels: readonly Channel[];
  readonly owner: Owner | null;
  /** An after-hours acknowledgement was sent (at most once per lead). */
  readonly acknowledged: boolean;
  /** The SAL decision (accept/reject) was made: accept_reject does not restart. */
  readonly salDecided: boolean;
  /** The lead got its first owned touch: response does not restart. */
  readonly responded: boolean;
  /** Owned touches of the current cycle (reset when a closed lead is assigned again), toward the minimum effort. */
  readonly attempts: readonly OwnedAttempt[];
  readonly closed: boolean;
  readonly clocks: readonly ClockState[];
}

export function initialTimerState(leadId: string): LeadTimerState {
  return { leadId, lead: null, channels: [], owner: null, acknowledged: false, salDecided: false, responded: false, attempts: [], closed: false, clocks: [] };
}

/** The timer's batch state: the lead timer states of a batch's leads, by lead id. */
export type TimerState = ReadonlyMap<string, LeadTimerState>;

/**
 * A pending deadline as a row of timer.deadlines, derived from its clock: it
 * holds the facts of the event it fires, for people and tools reading the table.
 */
export interface DeadlineRow {
  readonly deadlineId: string;
  readonly clockId: string;
  readonly leadId: string;
  readonly clock: ClockKind;
  readonly kind: DeadlineKind;
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

/** A deadline row as stored: the row plus the lead's partition of lead-events.v1 (which instance fires it). */
export interface StoredDeadline {
  readonly row: DeadlineRow;
  readonly partition: number;
}
