import type { Policy } from '@lead-sla/policy';
import { coverageCalendarFor, isCovered, type CoverageCalendar } from '@lead-sla/sla-clock';
import type { OnShiftPort } from '../domain/routing-state.types';

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
