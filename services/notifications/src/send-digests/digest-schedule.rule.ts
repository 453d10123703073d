import { contactOf, directoryAdmins, teamContactOf, type Policy } from '@lead-sla/policy';
import { coverageCalendarFor, DAY_MS, HOUR_MS, nextCoverageStart, type Weekday } from '@lead-sla/sla-clock';

export type DigestKind = 'missed-sla' | 'fallback-review';

/** One digest of one period, due at its team's local digest time. */
export interface DigestDue {
  /** `missed-sla/<team>/<reported date>`, `fallback-review/<team>/<reported ISO week>` or `fallback-review/all:<admin>/<week>`: one row per digest per period. */
  readonly key: string;
  readonly kind: DigestKind;
  /** Null: every team (an admin's company-wide review). */
  readonly teamId: string | null;
  /** The team's manager, or the admin. */
  readonly recipientId: string;
  /** The reported period: the local date before the due date, or the ISO week before the due week. */
  readonly period: string;
  readonly dueAt: number;
}

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const weekdayOf = (date: string): Weekday => WEEKDAYS[new Date(`${date}T00:00:00.000Z`).getUTCDay()];
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The local date of an instant in a zone ("YYYY-MM-DD"). */
export function localDate(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * The instant a local date reaches a wall time in a zone. A one-window
 * calendar [time, midnight) on that weekday gives it with the clock
 * library's zone math: a wall time skipped by a spring-forward change
 * resolves to the first one that exists.
 */
export function localInstant(date: string, time: string, timeZone: string): number {
  const day = coverageCalendarFor({ id: `digest:${time}`, timeZone, windows: [{ day: weekdayOf(date), open: time, close: '00:00' }] });
  // Earlier than the date's local midnight in every zone (offsets stay within ±15 h).
  return nextCoverageStart(day, Date.parse(`${date}T00:00:00.000Z`) - 15 * HOUR_MS);
}

/** The ISO week ("2026-W48") of a date "YYYY-MM-DD" (the same weeks as reporting's fallback review). */
export function isoWeekOf(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS);
  const n = Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / (7 * DAY_MS)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(n).padStart(2, '0')}`;
}

/**
 * The next digests of every team that has somewhere to send them (its
 * manager in the directory, or a team channel), each the first occurrence
 * at or after `now` (pure): the daily missed-SLA report of the previous
 * local day at the team's digest time, and the weekly fallback review of
 * the previous ISO week at that time on the team's weekly day; and each
 * admin's company-wide weekly review (ADMIN_REVIEW). Planning the
 * same occurrence twice gives the same key, so the schedule is idempotent.
 */
export function nextDigests(policy: Policy, now: number): DigestDue[] {
  const teams = policy.teams.flatMap((t): DigestDue[] => {
    const team = teamContactOf(policy, t.id);
    if (!team || (!contactOf(policy, team.managerId) && !team.slack && team.email.length === 0)) return [];
    const today = localDate(now, team.timeZone);
    const first = (days: number[], when: (date: string) => boolean) => {
      for (const n of days) {
        const date = addDays(today, n);
        if (!when(date)) continue;
        const dueAt = localInstant(date, team.digest.time, team.timeZone);
        if (dueAt >= now) return { date, dueAt };
      }
      return null;
    };
    const daily = first([0, 1, 2], () => true)!;
    const weekly = first([0, 1, 2, 3, 4, 5, 6, 7, 8], (date) => weekdayOf(date) === team.digest.weeklyOn)!;
    const reportedDay = addDays(daily.date, -1);
    const reportedWeek = isoWeekOf(addDays(weekly.date, -7));
    return [
      { key: `missed-sla/${team.id}/${reportedDay}`, kind: 'missed-sla', teamId: team.id, recipientId: team.managerId, period: reportedDay, dueAt: daily.dueAt },
      { key: `fallback-review/${team.id}/${reportedWeek}`, kind: 'fallback-review', teamId: team.id, recipientId: team.managerId, period: reportedWeek, dueAt: weekly.dueAt },
    ];
  });
  return [...teams, ...adminReviews(policy, now)];
}

/** An admin's company-wide weekly fallback review: Mondays at 08:00 in the admin's zone, for each admin with an address. */
export const ADMIN_REVIEW = { time: '08:00', weeklyOn: 'mon' } as const;

function adminReviews(policy: Policy, now: number): DigestDue[] {
  return directoryAdmins(policy).flatMap((adminId): DigestDue[] => {
    const contact = contactOf(policy, adminId);
    if (!contact || (!contact.email && !contact.slack)) return [];
    const today = localDate(now, contact.timeZone);
    for (let n = 0; n <= 8; n++) {
      const date = addDays(today, n);
      if (weekdayOf(date) !== ADMIN_REVIEW.weeklyOn) continue;
      const dueAt = localInstant(date, ADMIN_REVIEW.time, contact.timeZone);
      if (dueAt < now) continue;
      const week = isoWeekOf(addDays(date, -7));
      return [{ key: `fallback-review/all:${adminId}/${week}`, kind: 'fallback-review', teamId: null, recipientId: adminId, period: week, dueAt }];
    }
    return [];
  });
}
