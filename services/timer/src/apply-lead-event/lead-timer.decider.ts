import { emission, type Decider, type Emission } from '@lead-sla/decider';
import { responsibleOf } from '../domain/clock-schedule.util';
import { inputEffects, evolve } from '../domain/lead-timer.evolve';
import { initialTimerState, type TimerEnv, type TimerInputEvent, type TimerState } from '../domain/timer-state';

/**
 * The timer's decisions for one input (pure): SlaClockStopped for each
 * running clock the input stops strictly before its deadline (at or after
 * it, SlaBreached tells the outcome), SlaClockStarted for each clock it
 * starts (the deadline is known from the start: live countdowns), and
 * LeadAcknowledged once per lead when an assign or first-touch clock starts
 * outside its calendar's coverage. What an input stops and starts is
 * `inputEffects` (domain/lead-timer.evolve.ts), the same that evolve folds:
 * these events announce it. Fired events coming back from the log decide nothing.
 */
export function decide(state: TimerState, input: TimerInputEvent, env: TimerEnv): Emission[] {
  if (input.leadId === null) return [];
  const before = state.get(input.leadId) ?? initialTimerState(input.leadId);
  const { stops, started } = inputEffects(before, input, env);
  const out: Emission[] = [];
  for (const { clock: c, outcome, at } of stops) {
    if (c.status !== 'running' || Date.parse(at) >= Date.parse(c.math.deadline)) continue;
    out.push(
      emission('SlaClockStopped', `stopped ${c.clockId}`, {
        clockId: c.clockId, clock: c.clock, outcome, stoppedAt: at, deadline: c.math.deadline, ownerRepId: c.owner?.repId ?? null, policyVersion: c.policyVersion,
      }),
    );
  }
  for (const c of started.clocks) {
    out.push(
      emission('SlaClockStarted', `started ${c.clockId}`, {
        clockId: c.clockId, clock: c.clock, tier: c.tier, ...responsibleOf(c), math: c.math, policyVersion: c.policyVersion,
      }),
    );
    if (c === started.acknowledgedBy) {
      const { calendarId, timeZone, coverageStart } = c.math;
      out.push(emission('LeadAcknowledged', 'acknowledged', { calendarId, timeZone, coverageStart, policyVersion: c.policyVersion }));
    }
  }
  return out;
}

/** The timer's pure decider: decide above, evolve in domain/lead-timer.evolve.ts. */
export const timerDecider: Decider<TimerInputEvent, TimerState, TimerEnv> = { decide, evolve };
