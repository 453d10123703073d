import { assertNever, type TouchTask } from '@lead-sla/contracts';
import { coverageCalendarFor, nextCoverageStart } from '@lead-sla/sla-clock';
import { eventFrom } from '@lead-sla/decider';
import { rowOf } from '../domain/clock-schedule.util';
import type { ClockState, FiredEvent, LeadTimerState } from '../domain/timer-state';

/**
 * The reply clock's touch task: touch the lead again the next working day (the first covered instant 24 hours
 * after the step), on every channel the lead has.
 */
function touchTaskOf(clock: ClockState, state: LeadTimerState, stepDueAt: string): TouchTask {
  const dueAt = nextCoverageStart(coverageCalendarFor(clock.calendar), Date.parse(stepDueAt) + DAY_MS);
  return { dueAt: new Date(dueAt).toISOString(), channels: [...state.channels] };
}

const DAY_MS = 86_400_000;

/**
 * What a due deadline fires (pure): SlaWarning while its clock runs,
 * SlaBreached (also when the clock stopped at or after its deadline: it was
 * not met), SlaEscalated while the clock stays breached. A deadline its
 * clock no longer waits for (fired already, cancelled) fires nothing, so
 * firing twice is harmless. The policy is not consulted: the clock carries
 * what it started under. The event id derives from the clock's starting
 * event and the deadline, never from when it fires.
 */
export function fireDue(state: LeadTimerState, deadlineId: string, now: Date): FiredEvent[] {
  const clock = state.clocks.find((c) => c.pending.some((d) => d.deadlineId === deadlineId));
  const due = clock?.pending.find((d) => d.deadlineId === deadlineId);
  if (!clock || !due) return [];
  const row = rowOf(clock, state.leadId, due);
  const facts = {
    clockId: row.clockId, clock: row.clock, tier: row.tier, ownerRepId: row.ownerRepId, teamId: row.teamId, managerId: row.managerId, math: row.math, policyVersion: row.policyVersion,
  };
  const cause = { eventId: clock.startedByEventId, correlationId: clock.correlationId, leadId: state.leadId };
  const at = { occurredAt: now, recordedAt: now };
  switch (due.kind) {
    case 'warning':
      return clock.status === 'running' ? [eventFrom(cause, deadlineId, 'SlaWarning', { ...facts, warnAt: row.warnAt ?? row.dueAt }, at)] : [];
    case 'breach':
      return [eventFrom(cause, deadlineId, 'SlaBreached', facts, at)];
    case 'escalation':
      if (clock.status !== 'breached' || row.action === null) return [];
      return [
        eventFrom(cause, deadlineId, 'SlaEscalated', { ...facts, step: row.step, action: row.action, lastStep: row.lastStep ?? true, ...(row.action === 'schedule_touch_task' ? { task: touchTaskOf(clock, state, due.dueAt) } : {}) }, at),
      ];
    default: {
      return assertNever(due.kind, `timer: deadline ${deadlineId} kind`);
    }
  }
}
