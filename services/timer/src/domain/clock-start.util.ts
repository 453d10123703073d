import type { ClockKind } from '@lead-sla/contracts';
import { ACKNOWLEDGED_CLOCKS, CLOCKS_STARTED_BY_ASSIGNMENT, CLOCKS_STARTED_BY_FIRST_TOUCH, isMarketingQualified } from '@lead-sla/lead-lifecycle';
import { policyLookup, type CalendarPolicy, type Policy, type TierPolicy } from '@lead-sla/policy';
import { coverageCalendarFor, isCovered } from '@lead-sla/sla-clock';
import { clockIdOf, clockMath, initialDeadlines, openClock, warnAtOf } from './clock-schedule.util';
import type { ClockState, LeadTimerState, Owner, TimerEnv, TimerInputEvent } from './timer-state';

/** The clocks an input starts, and the one of them (if any) that acknowledges the lead after hours. */
export interface StartedClocks {
  readonly clocks: readonly ClockState[];
  readonly acknowledgedBy: ClockState | null;
}

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

/** Which clocks an input starts, judged on the lead before it (`before`) and after its own stops (`after`). */
function clocksStarted(before: LeadTimerState, after: LeadTimerState, input: TimerInputEvent, policy: Policy): ClockKind[] {
  switch (input.type) {
    case 'LeadCreated':
      // An inquiry below the MQL threshold is not routed to sales: no assign clock (the one MQL rule, libs/lead-lifecycle).
      return openClock(before, 'assign') || !isMarketingQualified(input.data, policy.routing.mql) ? [] : ['assign'];
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
 * The clocks an input starts (pure), at its occurredAt, under the policy in
 * force: the lead's tier, the owner's team calendar, the deadline
 * (`clockMath`), the warning and the ladder. A clock's id derives from the
 * lead, the input and the clock kind. An assign or first_touch clock
 * starting outside its calendar's coverage acknowledges the lead (once).
 */
export function startClocks(before: LeadTimerState, after: LeadTimerState, input: TimerInputEvent, env: TimerEnv): StartedClocks {
  const tier = tierOf(env.policy, after);
  const clocks: ClockState[] = [];
  let acknowledgedBy: ClockState | null = null;
  for (const kind of clocksStarted(before, after, input, env.policy)) {
    const clockPolicy = tier?.clocks[kind];
    if (!tier || !clockPolicy || !clockPolicy.enabled) continue;
    const owner = kind === 'assign' || kind === 'unassigned_queue' ? null : after.owner;
    const calendar = calendarOf(env.policy, owner);
    const clockId = clockIdOf(after.leadId, input.eventId, kind);
    const math = clockMath(calendar, input.occurredAt, clockPolicy.minutes);
    const warnAt = warnAtOf(calendar, math.startedAt, clockPolicy);
    const clock: ClockState = {
      clockId,
      clock: kind,
      status: 'running',
      tier: tier.id,
      owner,
      calendar,
      math,
      warnAt,
      ladder: clockPolicy.ladder,
      policyVersion: env.policy.version,
      correlationId: input.correlationId,
      startedByEventId: input.eventId,
      stoppedAt: null,
      pending: initialDeadlines(clockId, math, warnAt),
    };
    clocks.push(clock);
    // DOMAIN.md: a lead arriving after hours gets an immediate acknowledgement (once).
    if (!after.acknowledged && !acknowledgedBy && ACKNOWLEDGED_CLOCKS.includes(kind) && !isCovered(coverageCalendarFor(calendar), Date.parse(math.startedAt))) acknowledgedBy = clock;
  }
  return { clocks, acknowledgedBy };
}
