import { deadlineRowsOf } from './clock-schedule.util';
import type { DeadlineRow, LeadTimerState, TimerState } from './timer-state';

export interface TimerChanges {
  /** Lead states that changed, to write back. */
  readonly states: readonly LeadTimerState[];
  /** Deadlines that appeared: rows to insert. */
  readonly inserted: readonly DeadlineRow[];
  /** Deadlines that disappeared without firing here: rows to cancel (a fired row is no longer pending, so cancelling it changes nothing). */
  readonly cancelled: readonly string[];
}

/** What to write for a batch: pending deadline rows are derived from the states, so they follow from the diff. Pure. */
export function timerChanges(before: TimerState, after: TimerState): TimerChanges {
  const states: LeadTimerState[] = [];
  const inserted: DeadlineRow[] = [];
  const cancelled: string[] = [];
  for (const [leadId, next] of after) {
    const prev = before.get(leadId);
    if (prev === next) continue;
    states.push(next);
    const was = new Set(prev ? deadlineRowsOf(prev).map((r) => r.deadlineId) : []);
    const now = deadlineRowsOf(next);
    const is = new Set(now.map((r) => r.deadlineId));
    inserted.push(...now.filter((r) => !was.has(r.deadlineId)));
    cancelled.push(...[...was].filter((id) => !is.has(id)));
  }
  return { states, inserted, cancelled };
}
