import { Inject, Injectable } from '@nestjs/common';
import type { EventType, LeadEvent } from '@lead-sla/contracts';
import type { HandlerContext } from '@lead-sla/messaging';
import type { Clock } from '@lead-sla/platform';
import { CLOCK, PolicyProvider, type LeadEventHandler } from '@lead-sla/service-runtime';
import { isTimerInput, TIMER_INPUT_TYPES, type StoredDeadline } from '../domain/timer-state';
import { DeadlineScheduler } from '../fire-deadline/deadline-scheduler';
import { timerStore } from '../persistence/timer-store.repository';
import { applyLeadEvent } from './apply-lead-event.decider';

/**
 * The timer's consumer of lead-events.v1: load the lead's state (locked),
 * applyLeadEvent, write the state, the new and cancelled deadline rows and
 * the emitted events, all in the consumer's transaction with the offset.
 * After the commit, new rows due within the loaded horizon go straight to
 * the in-memory queue.
 */
@Injectable()
export class TimerLeadEventHandler implements LeadEventHandler {
  /** Other types are skipped by the consumer without being validated. */
  readonly eventTypes: readonly EventType[] = TIMER_INPUT_TYPES;

  constructor(
    private readonly policies: PolicyProvider,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DeadlineScheduler) private readonly scheduler: DeadlineScheduler,
  ) {}

  onPartitionsAssigned(partitions: ReadonlyArray<{ topic: string; partition: number }>): void {
    this.scheduler.setPartitions(partitions.map((p) => p.partition));
  }

  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    if (!isTimerInput(event) || event.leadId === null) return;
    const states = await timerStore.lockStates(ctx.tx, [event.leadId]);
    const state = states.get(event.leadId)!;
    const decision = applyLeadEvent(state, event, this.policies.current(), this.clock.now());
    // The lead's partition: the instance owning it fires the lead's deadlines.
    const rows: StoredDeadline[] = decision.schedule.map((row) => ({ row, partition: ctx.message.partition }));
    if (decision.state !== state) await timerStore.saveStates(ctx.tx, [decision.state]);
    await timerStore.cancelDeadlines(ctx.tx, decision.cancel);
    await timerStore.insertDeadlines(ctx.tx, rows);
    for (const e of decision.emit) ctx.emit(e);
    if (rows.length > 0) ctx.afterCommit(() => this.scheduler.offer(rows));
  }
}
