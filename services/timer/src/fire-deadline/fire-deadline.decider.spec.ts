import { decideAndEvolve, foldInputs } from '@lead-sla/decider';
import { timerDecider } from '../apply-lead-event/lead-timer.decider';
import { deadlineRowsOf } from '../domain/clock-schedule.util';
import { timerChanges } from '../domain/timer-changes.util';
import { initialTimerState, type DeadlineRow, type TimerEnv, type TimerState } from '../domain/timer-state';
import { assigned, created, LEAD, testPolicy, touched } from '../testing/timer.fixture';
import { fireBatch } from './fire-batch.util';
import { fireDue } from './fire-deadline.decider';

const T = (hhmm: string) => `2026-11-24T${hhmm}:00.000Z`;
const env: TimerEnv = { policy: testPolicy() };

function givenAssigned(): { state: TimerState; rows: DeadlineRow[] } {
  const { state } = foldInputs(timerDecider, new Map([[LEAD, initialTimerState(LEAD)]]), [created(T('10:00')), assigned(T('10:01'), 'ava')], () => env, new Date(T('10:01')));
  return { state, rows: deadlineRowsOf(state.get(LEAD)!) };
}
const breachOf = (rows: DeadlineRow[], clock: string) => rows.find((r) => r.clock === clock && r.kind === 'breach') as DeadlineRow;
/** Fires one deadline: the events and the rows that appear and disappear. */
function fire(state: TimerState, row: DeadlineRow, now: string) {
  const out = fireBatch(state, [{ deadlineId: row.deadlineId, leadId: LEAD, trace: {} }], new Date(now), env);
  return { state: out.state, emit: out.fired.map((f) => f.event), schedule: timerChanges(state, out.state).inserted };
}

describe('fire deadline', () => {
  it('emits SlaBreached with the row\'s math and schedules the first ladder step', () => {
    const { state, rows } = givenAssigned();
    const fired = fire(state, breachOf(rows, 'first_touch'), T('10:11'));
    expect(fired.emit).toHaveLength(1);
    expect(fired.emit[0]).toMatchObject({ type: 'SlaBreached', occurredAt: T('10:11'), data: { clock: 'first_touch', ownerRepId: 'ava', teamId: 'emea', managerId: 'mgr-emea', tier: 'standard' } });
    expect(fired.schedule).toEqual([expect.objectContaining({ kind: 'escalation', step: 1, action: 'reassign', lastStep: true, dueAt: T('10:11') })]);
  });

  it('emits nothing when the same row fires twice', () => {
    const { state, rows } = givenAssigned();
    const first = fire(state, breachOf(rows, 'first_touch'), T('10:11'));
    const again = fire(first.state, breachOf(rows, 'first_touch'), T('10:12'));
    expect(again.emit).toEqual([]);
    expect(again.schedule).toEqual([]);
  });

  it('changes nothing when its event comes back from the log after firing', () => {
    const { state, rows } = givenAssigned();
    const first = fire(state, breachOf(rows, 'first_touch'), T('10:11'));
    const echo = decideAndEvolve(timerDecider, first.state, first.emit[0], env, new Date(T('10:12')));
    expect(echo.emitted).toEqual([]);
    expect(echo.state).toBe(first.state);
  });

  it('applies its event read from the log like firing it (the state is rebuilt from the log)', () => {
    const { state, rows } = givenAssigned();
    const first = fire(state, breachOf(rows, 'first_touch'), T('10:11'));
    const replayed = decideAndEvolve(timerDecider, state, first.emit[0], env, new Date(T('10:12')));
    expect(replayed.state).toEqual(first.state);
  });

  it('emits nothing for a row cancelled by a stop that the scheduler has not dropped yet', () => {
    const { state, rows } = givenAssigned();
    const touchedState = decideAndEvolve(timerDecider, state, touched(T('10:05'), 'ava'), env, new Date(T('10:05'))).state;
    expect(timerChanges(state, touchedState).cancelled).toContain(breachOf(rows, 'first_touch').deadlineId);
    expect(fire(touchedState, breachOf(rows, 'first_touch'), T('10:11')).emit).toEqual([]);
  });

  it('does not warn about a clock that has stopped', () => {
    const { state, rows } = givenAssigned();
    const warning = rows.find((r) => r.clock === 'first_touch' && r.kind === 'warning') as DeadlineRow;
    const stopped = decideAndEvolve(timerDecider, state, touched(T('10:05'), 'ava'), env, new Date(T('10:05'))).state;
    expect(fireDue(stopped.get(LEAD)!, warning.deadlineId, new Date(T('10:08')))).toEqual([]);
  });

  it('derives the event id from the deadline, not from when it fired', () => {
    const { state, rows } = givenAssigned();
    const a = fire(state, breachOf(rows, 'first_touch'), T('10:11'));
    const b = fire(state, breachOf(rows, 'first_touch'), T('10:30'));
    expect(a.emit[0].eventId).toBe(b.emit[0].eventId);
    expect(a.emit[0].causationId).toBe(state.get(LEAD)!.clocks.find((c) => c.clock === 'first_touch')?.startedByEventId);
  });
});
