import type { LeadTimerState, StoredDeadline, TimerEmittedEvent } from '../domain/timer-state';
import { fireDeadline } from './fire-deadline.decider';

export interface FiredBatch {
  /** States that changed, to write back. */
  readonly states: LeadTimerState[];
  /** Next ladder steps, on the partition of the row that scheduled them. */
  readonly schedule: StoredDeadline[];
  readonly cancel: string[];
  readonly emit: TimerEmittedEvent[];
}

/**
 * Applies fireDeadline to each claimed row in due order, threading each
 * lead's state through its rows (a lead's warning and breach can be due in
 * the same batch). Pure: the caller loads and saves.
 */
export function fireBatch(states: Map<string, LeadTimerState>, claimed: readonly StoredDeadline[], now: Date): FiredBatch {
  const changed = new Set<string>();
  const schedule: StoredDeadline[] = [];
  const cancel: string[] = [];
  const emit: TimerEmittedEvent[] = [];
  for (const { row, partition } of claimed) {
    const state = states.get(row.leadId);
    if (!state) continue;
    const decision = fireDeadline(state, row, now);
    if (decision.state !== state) {
      states.set(row.leadId, decision.state);
      changed.add(row.leadId);
    }
    schedule.push(...decision.schedule.map((r) => ({ row: r, partition })));
    cancel.push(...decision.cancel);
    emit.push(...decision.emit);
  }
  return { states: [...changed].map((id) => states.get(id)!), schedule, cancel, emit };
}
