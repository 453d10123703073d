import { coverageCalendarFor, nextCoverageStart, type Weekday } from '@lead-sla/sla-clock';

const EVERY_DAY: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A person's quiet hours: half-open [from, to) local wall time; `to` at or before `from` crosses midnight. */
export interface QuietHours {
  readonly from: string;
  readonly to: string;
}

/**
 * When a delivery due at `now` may reach a person with these quiet hours in
 * `timeZone` (epoch ms): `now` itself outside them, else the instant they
 * end. The waking hours [to, from) are a coverage calendar, so the one clock
 * library's exact zone math applies: on a spring-forward day a `to` that does
 * not exist ends the quiet hours at the first wall time that does.
 */
export function quietHoursEnd(now: number, quiet: QuietHours, timeZone: string): number {
  const awake = coverageCalendarFor({ id: `quiet:${quiet.from}-${quiet.to}`, timeZone, windows: EVERY_DAY.map((day) => ({ day, open: quiet.to, close: quiet.from })) });
  return nextCoverageStart(awake, now);
}
