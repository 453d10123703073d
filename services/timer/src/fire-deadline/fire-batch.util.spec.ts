import { foldInputs } from '@lead-sla/decider';
import { timerDecider } from '../apply-lead-event/lead-timer.decider';
import { deadlineRowsOf } from '../domain/clock-schedule.util';
import { timerChanges } from '../domain/timer-changes.util';
import { initialTimerState, type DeadlineRow, type TimerEnv, type TimerState } from '../domain/timer-state';
import { assigned, created, LEAD, testPolicy } from '../testing/timer.fixture';
import { fireBatch, type DueDeadline } from './fire-batch.util';

const T = (hhmm: string) => `2026-11-24T${hhmm}:00.000Z`;
const TRACE = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
const env: TimerEnv = { policy: testPolicy() };

function assignedLead(): { state: TimerState; rows: DeadlineRow[] } {
  const { state } = foldInputs(timerDecider, new Map([[LEAD, initialTimerState(LEAD)]]), [created(T('10:00')), assigned(T('10:01'), 'ava')], () => env, new Date(T('10:01')));
  return { state, rows: deadlineRowsOf(state.get(LEAD)!) };
}
/** The rows as claimed: each with the trace context stored beside it. */
const dueOf = (rows: readonly DeadlineRow[], trace = TRACE): DueDeadline[] => rows.map((r) => ({ deadlineId: r.deadlineId, leadId: r.leadId, trace }));

describe('firing a batch of claimed deadlines', () => {
  it('threads one lead\'s state through its rows in order: warning, then breach and the first ladder step', () => {
    const { state, rows } = assignedLead();
    const firstTouch = rows.filter((r) => r.clock === 'first_touch');
    const out = fireBatch(state, dueOf(firstTouch), new Date(T('10:11')), env);
    expect(out.fired.map((f) => f.event.type)).toEqual(['SlaWarning', 'SlaBreached']);
    const changes = timerChanges(state, out.state);
    expect(changes.inserted).toEqual([expect.objectContaining({ kind: 'escalation', step: 1 })]);
    expect(changes.states).toHaveLength(1);
    expect(changes.states[0].clocks.find((c) => c.clock === 'first_touch')?.status).toBe('breached');
  });

  it('emits nothing and writes nothing for rows whose clock is gone (fired twice, or stopped)', () => {
    const { state, rows } = assignedLead();
    const breach = rows.filter((r) => r.clock === 'first_touch' && r.kind === 'breach');
    const once = fireBatch(state, dueOf(breach), new Date(T('10:11')), env);
    const again = fireBatch(once.state, dueOf(breach), new Date(T('10:12')), env);
    expect(again.fired).toEqual([]);
    expect(timerChanges(once.state, again.state)).toEqual({ states: [], inserted: [], cancelled: [] });
  });

  it('publishes what fires under the trace context stored with its row (the event that started the clock), not the state\'s', () => {
    const { state, rows } = assignedLead();
    expect(JSON.stringify([...state.values()])).not.toContain('traceparent');
    const out = fireBatch(state, dueOf(rows.filter((r) => r.clock === 'first_touch' && r.kind === 'breach')), new Date(T('10:11')), env);
    expect(out.fired).toEqual([expect.objectContaining({ event: expect.objectContaining({ type: 'SlaBreached' }), trace: TRACE })]);
  });
});
