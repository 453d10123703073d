import type { LeadEvent } from '@lead-sla/contracts';
import type { Clock } from '@lead-sla/platform';

/** When a decision on an input is made: the wall clock when serving, the logged time in a replay. */
export type DecisionClock = (input: LeadEvent) => Date;

export const DECISION_CLOCK = Symbol('DecisionClock');

/**
 * A replay in progress in this process: the consumer group it reads with and,
 * per cause, when the original decision was recorded (the recordedAt of the
 * first event in the log caused by it). Set by the replay command before it
 * creates the service's application context.
 */
export interface ReplayContext {
  readonly groupId: string;
  readonly decidedAt: ReadonlyMap<string, string>;
}

let replay: ReplayContext | null = null;

export function enterReplay(context: ReplayContext): void {
  replay = context;
}

export function leaveReplay(): void {
  replay = null;
}

export function currentReplay(): ReplayContext | null {
  return replay;
}

/**
 * In a replay an input whose original decision emitted nothing gets its own
 * occurredAt: nothing it decides is stamped with the time, so any fixed
 * instant reproduces it.
 */
export function decisionClockFor(clock: Clock, context: ReplayContext | null = replay): DecisionClock {
  if (context) return (input) => new Date(context.decidedAt.get(input.eventId) ?? input.occurredAt);
  // Strictly increasing within the process: two decisions never share an instant, so "the latest
  // decision" (e.g. a pool's round-robin pointer) is well defined, whatever order a rebuild folds them in.
  let last = 0;
  return () => {
    last = Math.max(clock.now().getTime(), last + 1);
    return new Date(last);
  };
}
