import { applyLeadEvent } from '../apply-lead-event/apply-lead-event.decider';
import { initialTimerState, type DeadlineRow, type LeadTimerState } from '../domain/timer-state';
import { assigned, created, testPolicy, touched } from '../testing/timer-fixtures';
import { fireDeadline } from './fire-deadline.decider';

const T = (hhmm: string) => `2026-11-24T${hhmm}:00.000Z`;
const policy = testPolicy();

function givenAssigned(): { state: LeadTimerState; rows: DeadlineRow[] } {
  const c = applyLeadEvent(initialTimerState('lead-1'), created(T('10:00')), policy, new Date(T('10:00')));
  const a = applyLeadEvent(c.state, assigned(T('10:01'), 'ava'), policy, new Date(T('10:01')));
  return { state: a.state, rows: [...a.schedule] };
}
const breachOf = (rows: DeadlineRow[], clock: string) => rows.find((r) => r.clock === clock && r.kind === 'breach') as DeadlineRow;

describe('fire deadline', () => {
  it('emits SlaBreached with the row\'s math and schedules the first ladder step', () => {
    const { state, rows } = givenAssigned();
    const fired = fireDeadline(state, breachOf(rows, 'first_touch'), new Date(T('10:11')));
    expect(fired.emit).toHaveLength(1);
    expect(fired.emit[0]).toMatchObject({ type: 'SlaBreached', occurredAt: T('10:11'), data: { clock: 'first_touch', ownerRepId: 'ava', teamId: 'emea', managerId: 'mgr-emea', tier: 'standard' } });
    expect(fired.schedule).toEqual([expect.objectContaining({ kind: 'escalation', step: 1, action: 'reassign', lastStep: true, dueAt: T('10:11') })]);
  });

  it('emits nothing when the same row fires twice', () => {
    const { state, rows } = givenAssigned();
    const first = fireDeadline(state, breachOf(rows, 'first_touch'), new Date(T('10:11')));
    const again = fireDeadline(first.state, breachOf(rows, 'first_touch'), new Date(T('10:12')));
    expect(again.emit).toEqual([]);
    expect(again.schedule).toEqual([]);
  });

  it('emits nothing for a row cancelled by a stop that the scheduler has not dropped yet', () => {
    const { state, rows } = givenAssigned();
    const touchedState = applyLeadEvent(state, touched(T('10:05'), 'ava'), policy, new Date(T('10:05')));
    expect(touchedState.cancel).toContain(breachOf(rows, 'first_touch').deadlineId);
    expect(fireDeadline(touchedState.state, breachOf(rows, 'first_touch'), new Date(T('10:11'))).emit).toEqual([]);
  });

  it('does not warn about a clock that has stopped', () => {
    const { state, rows } = givenAssigned();
    const warning = rows.find((r) => r.clock === 'first_touch' && r.kind === 'warning') as DeadlineRow;
    const stopped = applyLeadEvent(state, touched(T('10:05'), 'ava'), policy, new Date(T('10:05'))).state;
    expect(fireDeadline(stopped, warning, new Date(T('10:08'))).emit).toEqual([]);
  });

  it('derives the event id from the deadline, not from when it fired', () => {
    const { state, rows } = givenAssigned();
    const a = fireDeadline(state, breachOf(rows, 'first_touch'), new Date(T('10:11')));
    const b = fireDeadline(state, breachOf(rows, 'first_touch'), new Date(T('10:30')));
    expect(a.emit[0].eventId).toBe(b.emit[0].eventId);
    expect(a.emit[0].causationId).toBe(state.clocks.find((c) => c.clock === 'first_touch')?.startedByEventId);
  });
});
