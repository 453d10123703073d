import type { ClockKind } from '@lead-sla/contracts';
import { ACKNOWLEDGED_CLOCKS, CLOCKS_STARTED_BY_ASSIGNMENT, CLOCKS_STARTED_BY_FIRST_TOUCH } from '@lead-sla/lead-lifecycle';
import { emission, type Decider, type Emission } from '@lead-sla/decider';
import { policyLookup, type CalendarPolicy, type Policy, type TierPolicy } from '@lead-sla/policy';
import { coverageCalendarFor, isCovered } from '@lead-sla/sla-clock';
import { clockIdOf, clockMath, openClock } from '../domain/clock-schedule.util';
import { evolve, inputEffects } from '../domain/lead-timer.evolve';
import { initialTimerState, type LeadTimerState, type Owner, type TimerEnv, type TimerInputEvent, type TimerState } from '../domain/timer-state';

function tierOf(policy: Policy, state: LeadTimerState): TierPolicy | undefined {
  // Without LeadCreated the lead cannot be matched: fall back to the catch-all tier.
  return state.lead ? policyLookup.tierFor(policy, state.lead) : [...policy.clocks.tiers].reverse().find((t) => !t.when);
}

function calendarOf(policy: Policy, owner: Owner | null): CalendarPolicy {
  const defaultId = policy.clocks.defaultCalendarId;
  if (!owner) return policyLookup.calendar(policy, defaultId);
  // A team missing from this policy version (version skew): count on the default calendar rather than drop the clock.
  const team = policy.teams.find((t) => t.id === owner.teamId);
  return policyLookup.calendar(policy, team ? team.calendarId : defaultId);
}

/** Which clocks an input starts, judged on the lead before it (`before`) and after its own effects (`after`). */
function clocksStarted(before: LeadTimerState, after: LeadTimerState, input: TimerInputEvent): ClockKind[] {
  switch (input.type) {
    case 'LeadCreated':
      return openClock(before, 'assign') ? [] : ['assign'];
    case 'LeadQueued':
      return openClock(before, 'unassigned_queue') ? [] : ['unassigned_queue'];
    case 'LeadAssigned':
      // first_touch always; accept_reject and response only while still due in this cycle.
      return CLOCKS_STARTED_BY_ASSIGNMENT.filter((c) => !(c === 'accept_reject' && after.salDecided) && !(c === 'response' && after.responded));
    case 'LeadTouched':
      // The first owned touch: it met first_touch, and starts the clocks that count from it.
      return openClock(before, 'first_touch') && !openClock(after, 'first_touch') ? [...CLOCKS_STARTED_BY_FIRST_TOUCH] : [];
    default:
      return [];
  }
}

/**
 * The timer's decisions for one input (pure): SlaClockStopped for each
 * running clock the input stops strictly before its deadline (at or after
 * it, SlaBreached tells the outcome), SlaClockStarted for each clock it
 * starts (the deadline is known from the start: live countdowns), and
 * LeadAcknowledged once per lead when an assign or first-touch clock starts
 * outside its calendar's coverage. Clock starts and stops use the event's
 * occurredAt. Fired events coming back from the log decide nothing.
 */
export function decide(state: TimerState, input: TimerInputEvent, env: TimerEnv): Emission[] {
  if (input.leadId === null) return [];
  const before = state.get(input.leadId) ?? initialTimerState(input.leadId);
  const { state: after, stops } = inputEffects(before, input, env);
  const out: Emission[] = [];
  for (const { clock: c, outcome, at } of stops) {
    if (c.status !== 'running' || Date.parse(at) >= Date.parse(c.math.deadline)) continue;
    out.push(
      emission('SlaClockStopped', `stopped ${c.clockId}`, {
        clockId: c.clockId, clock: c.clock, outcome, stoppedAt: at, deadline: c.math.deadline, ownerRepId: c.owner?.repId ?? null, policyVersion: c.policyVersion,
      }),
    );
  }
  const tier = tierOf(env.policy, after);
  let acknowledged = after.acknowledged;
  for (const clock of clocksStarted(before, after, input)) {
    const clockPolicy = tier?.clocks[clock];
    if (!tier || !clockPolicy || !clockPolicy.enabled) continue;
    const owner = clock === 'assign' || clock === 'unassigned_queue' ? null : after.owner;
    const calendar = calendarOf(env.policy, owner);
    const clockId = clockIdOf(input.leadId, input.eventId, clock);
    const math = clockMath(calendar, input.occurredAt, clockPolicy.minutes);
    out.push(
      emission('SlaClockStarted', `started ${clockId}`, {
        clockId, clock, tier: tier.id, ownerRepId: owner?.repId ?? null, teamId: owner?.teamId ?? null, managerId: owner?.managerId ?? null, math, policyVersion: env.policy.version,
      }),
    );
    // DOMAIN.md: a lead arriving after hours gets an immediate acknowledgement (once).
    if (!acknowledged && ACKNOWLEDGED_CLOCKS.includes(clock) && !isCovered(coverageCalendarFor(calendar), Date.parse(math.startedAt))) {
      acknowledged = true;
      out.push(emission('LeadAcknowledged', 'acknowledged', { calendarId: math.calendarId, timeZone: math.timeZone, coverageStart: math.coverageStart, policyVersion: env.policy.version }));
    }
  }
  return out;
}

/** The timer's pure decider: decide above, evolve in domain/lead-timer.evolve.ts. */
export const timerDecider: Decider<TimerInputEvent, TimerState, TimerEnv> = { decide, evolve };
