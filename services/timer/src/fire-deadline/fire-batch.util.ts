import { evolve } from '../domain/lead-timer.evolve';
import type { FiredEvent, TimerEnv, TimerState, TraceContext } from '../domain/timer-state';
import { fireDue } from './fire-deadline.decider';

/** A claimed deadline to fire, with the trace context stored with its row. */
export interface DueDeadline {
  readonly deadlineId: string;
  readonly leadId: string;
  readonly trace: TraceContext;
}

export interface FiredBatch {
  readonly state: TimerState;
  /** Each fired event with the trace context it is published under (the clock's starting event's). */
  readonly fired: ReadonlyArray<{ readonly event: FiredEvent; readonly trace: TraceContext }>;
}

/**
 * Fires claimed deadlines in due order through the same evolve as every
 * other event, threading each lead's state through its rows (a lead's
 * warning and breach can be due in the same batch). Pure: the caller loads,
 * saves (the next ladder steps appear in the state) and publishes.
 */
export function fireBatch(state: TimerState, due: readonly DueDeadline[], now: Date, env: TimerEnv): FiredBatch {
  const fired: Array<{ event: FiredEvent; trace: TraceContext }> = [];
  let current = state;
  for (const d of due) {
    const lead = current.get(d.leadId);
    if (!lead) continue;
    for (const event of fireDue(lead, d.deadlineId, now)) {
      current = evolve(current, event, env);
      fired.push({ event, trace: d.trace });
    }
  }
  return { state: current, fired };
}
