import { addCoverage, coverageCalendarFor } from '@lead-sla/sla-clock';
import { pruneClocks, rowFor, timerEvent } from '../domain/clock-schedule.util';
import type { ClockState, DeadlineRow, LeadTimerState, TimerDecision, TimerEmittedEvent } from '../domain/timer-state';

const nothing = (state: LeadTimerState): TimerDecision => ({ state, schedule: [], cancel: [], emit: [] });

/**
 * A due deadline row fires: the event to emit (SlaWarning, SlaBreached or
 * SlaEscalated, with the clock math) and the next ladder step to schedule.
 * A row whose clock is gone or no longer waits for it is stale and emits
 * nothing, so firing twice is harmless. The policy is not consulted: the
 * clock carries the calendar and ladder it started under.
 */
export function fireDeadline(state: LeadTimerState, row: DeadlineRow, now: Date): TimerDecision {
  const clock = state.clocks.find((c) => c.clockId === row.clockId);
  if (!clock || !clock.pendingDeadlineIds.includes(row.deadlineId)) return nothing(state);

  let next: ClockState = { ...clock, pendingDeadlineIds: clock.pendingDeadlineIds.filter((id) => id !== row.deadlineId) };
  const schedule: DeadlineRow[] = [];
  const emit: TimerEmittedEvent[] = [];
  const facts = {
    clockId: row.clockId,
    clock: row.clock,
    tier: row.tier,
    ownerRepId: row.ownerRepId,
    teamId: row.teamId,
    managerId: row.managerId,
    math: row.math,
    policyVersion: row.policyVersion,
  };
  const meta = { idParts: [row.deadlineId], leadId: row.leadId, correlationId: row.correlationId, causationId: row.causationId, now };

  const scheduleStep = (step: number, after: string): void => {
    const ladderStep = clock.ladder[step - 1];
    if (!ladderStep) return;
    // Each step counts coverage minutes from the previous one (0: at once).
    const dueAt = addCoverage(coverageCalendarFor(clock.calendar), Date.parse(after), ladderStep.afterMinutes);
    const stepRow = rowFor(clock, row.leadId, 'escalation', step, dueAt);
    schedule.push(stepRow);
    next = { ...next, pendingDeadlineIds: [...next.pendingDeadlineIds, stepRow.deadlineId] };
  };

  switch (row.kind) {
    case 'warning':
      if (clock.status === 'running') emit.push(timerEvent('SlaWarning', { ...facts, warnAt: row.warnAt ?? row.dueAt }, meta));
      break;
    case 'breach':
      // Also emitted when the clock stopped at or after its deadline (the deadline was not met).
      emit.push(timerEvent('SlaBreached', facts, meta));
      if (clock.status === 'running') {
        next = { ...next, status: 'breached' };
        scheduleStep(1, row.dueAt);
      }
      break;
    case 'escalation':
      if (clock.status !== 'breached' || row.action === null) break;
      emit.push(timerEvent('SlaEscalated', { ...facts, step: row.step, action: row.action, lastStep: row.lastStep ?? true }, meta));
      scheduleStep(row.step + 1, row.dueAt);
      break;
    default: {
      const unknownKind: never = row.kind;
      throw new Error(`timer: unknown deadline kind ${JSON.stringify(unknownKind)} on deadline ${row.deadlineId}`);
    }
  }
  const clocks = pruneClocks(state.clocks.map((c) => (c.clockId === clock.clockId ? next : c)));
  return { state: { ...state, clocks }, schedule, cancel: [], emit };
}
