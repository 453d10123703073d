import { deterministicId, type ClockKind, type EventData, type EventOf } from '@lead-sla/contracts';
import type { CalendarPolicy, ClockPolicy } from '@lead-sla/policy';
import { addCoverage, coverageCalendarFor, nextCoverageStart } from '@lead-sla/sla-clock';
import type { ClockState, DeadlineKind, DeadlineRow, LeadTimerState, Owner, TimerEmittedEvent } from './timer-state';

const iso = (ms: number): string => new Date(ms).toISOString();

export function deadlineIdOf(clockId: string, kind: DeadlineKind, step: number): string {
  return deterministicId(clockId, kind, String(step));
}

export interface ClockStart {
  readonly leadId: string;
  readonly clock: ClockKind;
  readonly policy: ClockPolicy;
  readonly tier: string;
  readonly owner: Owner | null;
  readonly calendar: CalendarPolicy;
  readonly policyVersion: string;
  /** The event that starts the clock; its occurredAt is the clock's start. */
  readonly cause: { readonly eventId: string; readonly occurredAt: string; readonly correlationId: string };
}

export function rowFor(clock: ClockState, leadId: string, kind: DeadlineKind, step: number, dueAt: number): DeadlineRow {
  const escalation = kind === 'escalation' ? clock.ladder[step - 1] : undefined;
  return {
    deadlineId: deadlineIdOf(clock.clockId, kind, step),
    clockId: clock.clockId,
    leadId,
    clock: clock.clock,
    kind,
    step,
    dueAt: iso(dueAt),
    tier: clock.tier,
    ownerRepId: clock.owner?.repId ?? null,
    teamId: clock.owner?.teamId ?? null,
    managerId: clock.owner?.managerId ?? null,
    math: clock.math,
    warnAt: clock.warnAt,
    action: escalation ? escalation.action : null,
    lastStep: escalation ? step === clock.ladder.length : null,
    policyVersion: clock.policyVersion,
    correlationId: clock.correlationId,
    causationId: clock.startedByEventId,
  };
}

/** Starts a clock: deadline = addCoverage(start, minutes); warning at addCoverage(start, minutes − warnBefore). */
export function startClock(s: ClockStart): { clock: ClockState; rows: DeadlineRow[] } {
  const calendar = coverageCalendarFor(s.calendar);
  const startedAt = Date.parse(s.cause.occurredAt);
  const deadline = addCoverage(calendar, startedAt, s.policy.minutes);
  const warnBefore = s.policy.warnBeforeMinutes;
  // Warning only when it falls strictly inside the clock's span.
  const warnAt = warnBefore > 0 && warnBefore < s.policy.minutes ? addCoverage(calendar, startedAt, s.policy.minutes - warnBefore) : null;
  const base: ClockState = {
    clockId: deterministicId(s.leadId, s.cause.eventId, s.clock),
    clock: s.clock,
    status: 'running',
    tier: s.tier,
    owner: s.owner,
    calendar: s.calendar,
    math: {
      startedAt: iso(startedAt),
      coverageStart: iso(nextCoverageStart(calendar, startedAt)),
      coverageMinutes: s.policy.minutes,
      deadline: iso(deadline),
      calendarId: s.calendar.id,
      timeZone: s.calendar.timeZone,
    },
    warnAt: warnAt === null ? null : iso(warnAt),
    ladder: s.policy.ladder,
    policyVersion: s.policyVersion,
    correlationId: s.cause.correlationId,
    startedByEventId: s.cause.eventId,
    stoppedAt: null,
    pendingDeadlineIds: [],
  };
  const rows = [...(warnAt === null ? [] : [rowFor(base, s.leadId, 'warning', 0, warnAt)]), rowFor(base, s.leadId, 'breach', 0, deadline)];
  return { clock: { ...base, pendingDeadlineIds: rows.map((r) => r.deadlineId) }, rows };
}

/**
 * Stops a clock at `at`. A deadline is met only when the stopping event is
 * strictly before it, so a breach already due at `at` stays scheduled (it
 * fires late rather than never); everything else pending is cancelled.
 */
export function stopClock(clock: ClockState, at: string): { clock: ClockState; cancel: string[] } {
  if (clock.status === 'stopped') return { clock, cancel: [] };
  const keep =
    clock.status === 'running' && Date.parse(clock.math.deadline) <= Date.parse(at)
      ? clock.pendingDeadlineIds.filter((id) => id === deadlineIdOf(clock.clockId, 'breach', 0))
      : [];
  return {
    clock: { ...clock, status: 'stopped', stoppedAt: at, pendingDeadlineIds: keep },
    cancel: clock.pendingDeadlineIds.filter((id) => !keep.includes(id)),
  };
}

/**
 * Drops stopped clocks with nothing pending, so the state row stays small.
 * A breached clock stays until its stopping event: a late touch still ends it.
 */
export function pruneClocks(clocks: readonly ClockState[]): ClockState[] {
  return clocks.filter((c) => c.status !== 'stopped' || c.pendingDeadlineIds.length > 0);
}

/** The clock of that kind that is running or breached (not yet stopped). */
export function openClock(state: LeadTimerState, clock: ClockKind): ClockState | undefined {
  return state.clocks.find((c) => c.clock === clock && c.status !== 'stopped');
}

type Emitted = TimerEmittedEvent['type'];

/** An event the timer emits; its id is derived from `idParts`, so a re-run yields the same id. */
export function timerEvent<T extends Emitted>(
  type: T,
  data: EventData<T>,
  o: { idParts: readonly string[]; leadId: string; correlationId: string; causationId: string; now: Date },
): EventOf<T> {
  const event = {
    type,
    version: 1,
    eventId: deterministicId(...o.idParts, type),
    occurredAt: o.now.toISOString(),
    recordedAt: o.now.toISOString(),
    leadId: o.leadId,
    correlationId: o.correlationId,
    causationId: o.causationId,
    data,
  };
  return event as unknown as EventOf<T>;
}
