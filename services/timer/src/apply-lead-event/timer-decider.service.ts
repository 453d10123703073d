import { Injectable } from '@nestjs/common';
import { type DeciderService, type SaveContext } from '@lead-sla/messaging';
import { type Emission } from '@lead-sla/decider';
import type { Tx } from '@lead-sla/platform';
import type { Policy } from '@lead-sla/policy';
import { evolve } from '../domain/lead-timer.evolve';
import { timerChanges } from '../domain/timer-changes.util';
import { TIMER_INPUT_TYPES, type TimerEmittedEvent, type TimerEnv, type TimerEvent, type TimerInputEvent, type TimerState } from '../domain/timer-state';
import { DeadlineScheduler } from '../fire-deadline/deadline.scheduler';
import { TimerStateRepository } from '../persistence/timer-state.repository';
import { decide } from './lead-timer.decider';

/**
 * The timer as a service of the decider runtime: the batch's lead states
 * are loaded in one locked round trip, folded through the pure decide and
 * evolve, and saved as one diff; the deadline rows follow from the states.
 * New rows go to the scheduler once the batch has committed.
 */
@Injectable()
export class TimerDeciderService implements DeciderService<TimerInputEvent, TimerState, TimerEnv> {
  readonly inputTypes = TIMER_INPUT_TYPES;
  readonly outputTypes = ['SlaClockStarted', 'SlaClockStopped', 'LeadAcknowledged', 'SlaWarning', 'SlaBreached', 'SlaEscalated'] as const satisfies ReadonlyArray<TimerEmittedEvent['type']>;

  constructor(
    private readonly repository: TimerStateRepository,
    private readonly scheduler: DeadlineScheduler,
  ) {}

  /** The instance that consumes a partition fires its deadlines: each rebalance tells the scheduler which to load. */
  onPartitionsAssigned(partitions: ReadonlyArray<{ topic: string; partition: number }>): void {
    this.scheduler.setPartitions(partitions.map((p) => p.partition));
  }

  keysOf(input: TimerInputEvent): readonly string[] {
    return input.leadId === null ? [] : [input.leadId];
  }

  load(tx: Tx, keys: readonly string[]): Promise<TimerState> {
    return this.repository.lockStates(tx, keys);
  }

  environment(_input: TimerInputEvent, _now: Date, policy: Policy): TimerEnv {
    return { policy };
  }

  decide(state: TimerState, input: TimerInputEvent, env: TimerEnv): readonly Emission[] {
    return decide(state, input, env);
  }

  evolve(state: TimerState, event: TimerEvent, env: TimerEnv): TimerState {
    return evolve(state, event, env);
  }

  async save(tx: Tx, before: TimerState, after: TimerState, ctx: SaveContext): Promise<void> {
    // The batch's leads share its partition: the instance owning it fires their deadlines. A row stores the
    // trace its clock's starting event was decided in, so what it fires continues that trace.
    const rows = await this.repository.write(tx, timerChanges(before, after), (row) => ({ partition: ctx.partition, trace: ctx.traceOf(row.causationId) }));
    if (rows.length > 0) ctx.afterCommit(() => this.scheduler.offer(rows));
  }
}
