import type { Policy } from '@lead-sla/policy';
import { coverageCalendarFor, isCovered, nextCoverageStart, type CoverageCalendar } from '@lead-sla/sla-clock';
import type { OnShiftPort } from '../domain/routing-state.types';
import type { NextCoverageStartPort } from '../unassigned-queue/queue-wake-up.util';

// One set of calendars per loaded policy: building a calendar is far dearer than asking it.
const calendarsByPolicy = new WeakMap<Policy, Map<string, CoverageCalendar>>();

function calendarsOf(policy: Policy): Map<string, CoverageCalendar> {
  let calendars = calendarsByPolicy.get(policy);
  if (!calendars) {
    calendars = new Map(policy.calendars.map((c) => [c.id, coverageCalendarFor(c)]));
    calendarsByPolicy.set(policy, calendars);
  }
  return calendars;
}

/**
 * The decider's "is this rep on shift" port: the team's coverage calendar
 * (IANA zone, weekly windows, holidays) from libs/sla-clock. A rep's shift
 * override is applied by the decider itself, on top of this answer.
 */
export function teamShiftPort(policy: Policy): OnShiftPort {
  const calendars = calendarsOf(policy);
  return (_repId, teamCalendarId, now) => {
    const calendar = calendars.get(teamCalendarId);
    // The policy validates calendar references, so a missing one means "not covered" rather than a crash.
    return calendar !== undefined && isCovered(calendar, Date.parse(now));
  };
}

/**
 * When a calendar next opens after `now` (libs/sla-clock `nextCoverageStart`);
 * null for a calendar the policy does not have or one with no coverage ahead
 * (nothing to wake up for).
 */
export function nextCoverageStartPort(policy: Policy): NextCoverageStartPort {
  const calendars = calendarsOf(policy);
  return (calendarId, now) => {
    const calendar = calendars.get(calendarId);
    if (calendar === undefined) return null;
    try {
      return new Date(nextCoverageStart(calendar, Date.parse(now))).toISOString();
    } catch {
      return null;
    }
  };
}
