import { deterministicId, type ClockKind, type ClockMath } from '@lead-sla/contracts';
import type { CalendarPolicy, ClockPolicy } from '@lead-sla/policy';
import { addCoverage, coverageCalendarFor, nextCoverageStart } from '@lead-sla/sla-clock';
import type { ClockState, DeadlineKind, DeadlineRow, LeadTimerState, PendingDeadline } from './timer-state';

const iso = (ms: number): string => new Date(ms).toISOString();

export function deadlineIdOf(clockId: string, kind: DeadlineKind, step: number): string {
  return deterministicId(clockId, kind, String(step));
}

export function clockIdOf(leadId: string, startingEventId: string, clock: ClockKind): string {
  return deterministicId(leadId, startingEventId, clock);
}

/** Where a clock's deadline is computed: `minutes` of coverage from `startedAt` under the calendar. */
export function clockMath(calendar: CalendarPolicy, startedAt: string, minutes: number): ClockMath {
  const cal = coverageCalendarFor(calendar);
  const start = Date.parse(startedAt);
  return {
    startedAt: iso(start),
    coverageStart: iso(nextCoverageStart(cal, start)),
    coverageMinutes: minutes,
    deadline: iso(addCoverage(cal, start, minutes)),
    calendarId: calendar.id,
    timeZone: calendar.timeZone,
  };
}

/** The warning instant: minutes − warnBefore coverage minutes after the start, only when it falls strictly inside the clock's span. */
export function warnAtOf(calendar: CalendarPolicy, startedAt: string, policy: Pick<ClockPolicy, 'minutes' | 'warnBeforeMinutes'>): string | null {
  const before = policy.warnBeforeMinutes;
  if (!(before > 0 && before < policy.minutes)) return null;
  return iso(addCoverage(coverageCalendarFor(calendar), Date.parse(startedAt), policy.minutes - before));
}

/** The deadlines a clock waits for when it starts: its warning (if any) and its breach. */
export function initialDeadlines(clockId: string, math: ClockMath, warnAt: string | null): PendingDeadline[] {
  const breach: PendingDeadline = { deadlineId: deadlineIdOf(clockId, 'breach', 0), kind: 'breach', step: 0, dueAt: math.deadline };
  return warnAt === null ? [breach] : [{ deadlineId: deadlineIdOf(clockId, 'warning', 0), kind: 'warning', step: 0, dueAt: warnAt }, breach];
}

/** Ladder step n is due `afterMinutes` coverage minutes after the previous step (the breach for n = 1); 0 is at once. */
export function escalationStep(clock: ClockState, step: number, previousDueAt: string): PendingDeadline | null {
  const ladderStep = clock.ladder[step - 1];
  if (!ladderStep) return null;
  const dueAt = addCoverage(coverageCalendarFor(clock.calendar), Date.parse(previousDueAt), ladderStep.afterMinutes);
  return { deadlineId: deadlineIdOf(clock.clockId, 'escalation', step), kind: 'escalation', step, dueAt: iso(dueAt) };
}

/**
 * Stops a clock at `at`. A deadline is met only when the stopping event is
 * strictly before it, so a breach already due at `at` stays pending (it
 * fires late rather than never); everything else pending is dropped.
 */
export function stopClock(clock: ClockState, at: string): ClockState {
  if (clock.status === 'stopped') return clock;
  const missed = clock.status === 'running' && Date.parse(clock.math.deadline) <= Date.parse(at);
  const pending = missed ? clock.pending.filter((d) => d.kind === 'breach') : [];
  return { ...clock, status: 'stopped', stoppedAt: at, pending };
}

/**
 * Drops stopped clocks with nothing pending, so the state row stays small.
 * A breached clock stays until its stopping event: a late touch still ends it.
 */
export function pruneClocks(clocks: readonly ClockState[]): ClockState[] {
  return clocks.filter((c) => c.status !== 'stopped' || c.pending.length > 0);
}

/** The clock of that kind that is running or breached (not yet stopped). */
export function openClock(state: LeadTimerState, clock: ClockKind): ClockState | undefined {
  return state.clocks.find((c) => c.clock === clock && c.status !== 'stopped');
}

/** Who a clock's events name: its owner, or for a lead nobody owns yet, the team it waits on (and its manager). */
export function responsibleOf(clock: ClockState): { ownerRepId: string | null; teamId: string | null; managerId: string | null } {
  if (clock.owner) return { ownerRepId: clock.owner.repId, teamId: clock.owner.teamId, managerId: clock.owner.managerId };
  return { ownerRepId: null, teamId: clock.waitingOn?.teamId ?? null, managerId: clock.waitingOn?.managerId ?? null };
}

/** A pending deadline as its timer.deadlines row. */
export function rowOf(clock: ClockState, leadId: string, d: PendingDeadline): DeadlineRow {
  const escalation = d.kind === 'escalation' ? clock.ladder[d.step - 1] : undefined;
  return {
    deadlineId: d.deadlineId,
    clockId: clock.clockId,
    leadId,
    clock: clock.clock,
    kind: d.kind,
    step: d.step,
    dueAt: d.dueAt,
    tier: clock.tier,
    ...responsibleOf(clock),
    math: clock.math,
    warnAt: clock.warnAt,
    action: escalation ? escalation.action : null,
    lastStep: escalation ? d.step === clock.ladder.length : null,
    policyVersion: clock.policyVersion,
    correlationId: clock.correlationId,
    causationId: clock.startedByEventId,
  };
}

/** The pending deadline rows of a lead: derived from its clocks, never kept apart. */
export function deadlineRowsOf(state: LeadTimerState): DeadlineRow[] {
  return state.clocks.flatMap((c) => c.pending.map((d) => rowOf(c, state.leadId, d)));
}
