import type { Channel, ClockKind } from '@lead-sla/contracts';
import { ACKNOWLEDGED_CLOCKS, ASSIGNMENT_CLOCKS, CLOCKS_STARTED_BY_ASSIGNMENT, CLOCKS_STARTED_BY_DATA_CLEANUP, CLOCKS_STARTED_BY_FIRST_TOUCH, isMarketingQualified } from '@lead-sla/lead-lifecycle';
import { policyLookup, type CalendarPolicy, type ClockPolicy, type Policy, type TierPolicy } from '@lead-sla/policy';
import { coverageCalendarFor, isCovered } from '@lead-sla/sla-clock';
import { clockIdOf, clockMath, initialDeadlines, openClock, warnAtOf } from './clock-schedule.util';
import type { ClockState, LeadTimerState, TimerEnv, TimerInputEvent, WaitingTeam } from './timer-state';

/** The clocks an input starts, and the one of them (if any) that acknowledges the lead after hours. */
export interface StartedClocks {
  readonly clocks: readonly ClockState[];
  readonly acknowledgedBy: ClockState | null;
}

function tierOf(policy: Policy, state: LeadTimerState): TierPolicy | undefined {
  // Without LeadCreated the lead cannot be matched: fall back to the catch-all tier.
  return state.lead ? policyLookup.tierFor(policy, state.lead) : [...policy.clocks.tiers].reverse().find((t) => !t.when);
}

/** The calendar of a team; without one (a team missing from this policy version), the default: count rather than drop the clock. */
function calendarOf(policy: Policy, teamId: string | null): CalendarPolicy {
  const team = teamId === null ? undefined : policy.teams.find((t) => t.id === teamId);
  return policyLookup.calendar(policy, team ? team.calendarId : policy.clocks.defaultCalendarId);
}

/**
 * The team a lead nobody owns waits on: the team of the pool it was queued in, else of the pool routing
 * sends it to (its first matching rule). Null for a lead the timer cannot match yet, or a pool missing
 * from this policy version: its clocks then run on the default calendar.
 */
function waitingTeamOf(policy: Policy, state: LeadTimerState, input: TimerInputEvent): WaitingTeam | null {
  const queuedIn = input.type === 'LeadQueued' ? input.data.poolId : null;
  const poolId = queuedIn ?? (state.lead ? policyLookup.routedPool(policy, state.lead).poolId : null);
  const teamId = policy.pools.find((p) => p.id === poolId)?.teamId;
  const team = policy.teams.find((t) => t.id === teamId);
  return team ? { teamId: team.id, managerId: team.managerId } : null;
}

/** The first-touch target: the smallest per-channel target among the lead's channels (`channelMinutes`), else `minutes`. */
export function firstTouchMinutes(policy: ClockPolicy, leadChannels: readonly Channel[]): number {
  const targets = leadChannels.flatMap((c) => (policy.channelMinutes?.[c] !== undefined ? [policy.channelMinutes[c]] : []));
  return targets.length > 0 ? Math.min(...targets) : policy.minutes;
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
      // With the data-cleanup owner only the cleanup clock runs; the fix's assignment restarts first_touch below.
      if (input.data.reason === 'data_cleanup') return [...CLOCKS_STARTED_BY_DATA_CLEANUP];
      // first_touch always; accept_reject only while still due in this cycle; response once, from the first assignment.
      return CLOCKS_STARTED_BY_ASSIGNMENT.filter((c) => !(c === 'accept_reject' && after.salDecided) && !(c === 'response' && (after.responded || openClock(after, 'response'))));
    case 'LeadTouched':
      // The first owned touch: it met first_touch, and starts the clocks that count from it.
      return openClock(before, 'first_touch') && !openClock(after, 'first_touch') ? [...CLOCKS_STARTED_BY_FIRST_TOUCH] : [];
    default:
      return [];
  }
}

/**
 * The clocks an input starts (pure), at its occurredAt, under the policy in
 * force: the lead's tier, the calendar of the owner's team (of the team the
 * lead waits on, for the assign and queue clocks), the deadline
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
    const waiting = ASSIGNMENT_CLOCKS.includes(kind);
    const owner = waiting ? null : after.owner;
    const waitingOn = waiting ? waitingTeamOf(env.policy, after, input) : null;
    const calendar = calendarOf(env.policy, owner?.teamId ?? waitingOn?.teamId ?? null);
    const clockId = clockIdOf(after.leadId, input.eventId, kind);
    const minutes = kind === 'first_touch' ? firstTouchMinutes(clockPolicy, after.channels) : clockPolicy.minutes;
    const math = clockMath(calendar, input.occurredAt, minutes);
    const warnAt = warnAtOf(calendar, math.startedAt, { minutes, warnBeforeMinutes: clockPolicy.warnBeforeMinutes });
    const clock: ClockState = {
      clockId,
      clock: kind,
      status: 'running',
      tier: tier.id,
      owner,
      waitingOn,
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
