import type { Policy } from '@lead-sla/policy';
import { evolve } from '../domain/lead-timer.evolve';
import { initialTimerState, type TimerEvent, type TimerState } from '../domain/timer-state';
import type { TimerHarness } from './timer.harness';
import { LEAD } from './timer.fixture';

/**
 * One log a live run may have left: the inputs in their order and the
 * timer's emitted events in theirs (the outbox order), each emitted event
 * after every input consumed before it was emitted, and as late as the
 * relay may have published it. At each point where the next emitted event
 * may be published, `publishNow(n)` (n counts those points) says whether it is.
 */
export function logOf(live: Pick<TimerHarness, 'inputs' | 'published'>, publishNow: (n: number) => boolean): TimerEvent[] {
  const { inputs, published } = live;
  const log: TimerEvent[] = [];
  let i = 0;
  let o = 0;
  let choice = 0;
  while (i < inputs.length || o < published.length) {
    const publishable = o < published.length && published[o].afterInputs <= i;
    if (publishable && (i === inputs.length || publishNow(choice++))) log.push(published[o++].event);
    else log.push(inputs[i++]);
  }
  return log;
}

/** What a replay rebuilds from a log: every event folded with evolve only, in log order, deciding and firing nothing. */
export function rebuildFromLog(log: readonly TimerEvent[], policy: Policy): TimerState {
  return log.reduce<TimerState>((state, event) => evolve(state, event, { policy }), new Map([[LEAD, initialTimerState(LEAD)]]));
}
