import { applyLeadEvent } from '../apply-lead-event/apply-lead-event.decider';
import { initialTimerState, type LeadTimerState, type StoredDeadline } from '../domain/timer-state';
import { assigned, created, LEAD, testPolicy } from '../testing/timer-fixtures';
import { fireBatch } from './fire-batch.util';

const T = (hhmm: string) => `2026-11-24T${hhmm}:00.000Z`;

function assignedLead(): { state: LeadTimerState; rows: StoredDeadline[] } {
  const policy = testPolicy();
  const a = applyLeadEvent(initialTimerState(LEAD), created(T('10:00')), policy, new Date(T('10:00')));
  const b = applyLeadEvent(a.state, assigned(T('10:01'), 'ava'), policy, new Date(T('10:01')));
  return { state: b.state, rows: [...a.schedule, ...b.schedule].map((row) => ({ row, partition: 2 })) };
}

describe('firing a batch of claimed deadlines', () => {
  it('threads one lead\'s state through its rows in order: warning, then breach and the first ladder step on the same partition', () => {
    const { state, rows } = assignedLead();
    const firstTouch = rows.filter((r) => r.row.clock === 'first_touch');
    const states = new Map([[LEAD, state]]);
    const out = fireBatch(states, firstTouch, new Date(T('10:11')));
    expect(out.emit.map((e) => e.type)).toEqual(['SlaWarning', 'SlaBreached']);
    expect(out.schedule).toEqual([expect.objectContaining({ partition: 2, row: expect.objectContaining({ kind: 'escalation', step: 1 }) })]);
    expect(out.states).toHaveLength(1);
    expect(out.states[0].clocks.find((c) => c.clock === 'first_touch')?.status).toBe('breached');
  });

  it('emits nothing and writes nothing for rows whose clock is gone (fired twice, or stopped)', () => {
    const { state, rows } = assignedLead();
    const breach = rows.filter((r) => r.row.clock === 'first_touch' && r.row.kind === 'breach');
    const states = new Map([[LEAD, state]]);
    fireBatch(states, breach, new Date(T('10:11')));
    const again = fireBatch(states, breach, new Date(T('10:12')));
    expect(again).toEqual({ states: [], schedule: [], cancel: [], emit: [] });
  });
});
