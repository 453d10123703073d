/**
 * Time helpers for projections. Every instant comes from an event's
 * timestamps; nothing here reads the wall clock.
 */

/** Whole and fractional seconds from `from` to `to` (negative when `to` is earlier). */
export function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

/** The UTC calendar date (YYYY-MM-DD) an instant falls on. */
export function utcDay(instant: string): string {
  return new Date(Date.parse(instant)).toISOString().slice(0, 10);
}

/** The earlier of two instants, treating null as "not yet". */
export function earliest(a: string | null, b: string): string {
  if (a === null) return b;
  return Date.parse(b) < Date.parse(a) ? b : a;
}
