/**
 * The digests' content (pure): the daily missed-SLA report of a manager's
 * teams and the weekly fallback review, built from breach-table rows (the
 * same rows as GET /api/reports/missed-sla and bi.breach_v1). The API answers
 * it as JSON; notifications fetches it and delivers it by email and Slack
 * (docs/notifications.md). The repository fetches a superset; the window and
 * team filters are applied here, so a spec can build a digest from a fixed
 * stream folded through the breach-row projection.
 */

/** A breach or ladder step as the digests read it (a BreachRow, plus the lead's source for the fallback review). */
export interface DigestRow {
  readonly kind: 'breach' | 'escalation';
  readonly leadId: string;
  readonly clock: string;
  readonly action: string | null;
  readonly ownerRepId: string | null;
  readonly teamId: string | null;
  readonly occurredAt: string;
  readonly deadline: string;
  readonly secondsAfterDeadline: number;
  readonly source?: string | null;
}

/** A team's local day: [from, to) in UTC for the digest's date in the team's zone. */
export interface TeamDay {
  readonly teamId: string;
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
}

export interface MissedSlaTeam extends TeamDay {
  readonly breaches: number;
  readonly leads: number;
  readonly escalationSteps: number;
  readonly byClock: Array<{ clock: string; breaches: number }>;
  readonly byRep: Array<{ repId: string | null; breaches: number }>;
  readonly items: Array<{ leadId: string; clock: string; ownerRepId: string | null; deadline: string; occurredAt: string; minutesLate: number }>;
  readonly more: number;
}

export interface MissedSlaDigest {
  readonly kind: 'missed-sla';
  readonly managerId: string;
  readonly date: string;
  readonly teams: MissedSlaTeam[];
  readonly totals: { breaches: number; leads: number };
}

export interface FallbackReviewDigest {
  readonly kind: 'fallback-review';
  readonly week: string;
  readonly from: string;
  readonly to: string;
  readonly teams: string[] | null;
  readonly totals: { reassignments: number; leads: number };
  readonly byRep: Array<{ repId: string | null; teamId: string | null; reassignments: number; leads: number }>;
  readonly bySource: Array<{ source: string; reassignments: number; leads: number }>;
}

const within = (row: DigestRow, from: string, to: string) => Date.parse(row.occurredAt) >= Date.parse(from) && Date.parse(row.occurredAt) < Date.parse(to);
const byCountThenKey = <T>(count: (t: T) => number, key: (t: T) => string | null) => (a: T, b: T) =>
  count(b) - count(a) || (key(a) === null ? 1 : key(b) === null ? -1 : key(a)!.localeCompare(key(b)!));

function countBy<K>(rows: readonly DigestRow[], keyOf: (r: DigestRow) => K): Map<K, { n: number; leads: Set<string> }> {
  const groups = new Map<K, { n: number; leads: Set<string> }>();
  for (const r of rows) {
    const k = keyOf(r);
    const g = groups.get(k) ?? { n: 0, leads: new Set<string>() };
    g.n += 1;
    g.leads.add(r.leadId);
    groups.set(k, g);
  }
  return groups;
}

/**
 * The missed-SLA report of one local date for each of a manager's teams:
 * breaches (not ladder steps) that the team's clocks recorded in the team's
 * local day, per clock and per rep (most first), the breaches themselves in
 * time order (at most `itemLimit` per team; `more` counts the rest), and the
 * number of ladder steps that day.
 */
export function buildMissedSlaDigest(input: { managerId: string; date: string; teams: readonly TeamDay[]; rows: readonly DigestRow[]; itemLimit: number }): MissedSlaDigest {
  const allLeads = new Set<string>();
  let total = 0;
  const teams = input.teams.map((day): MissedSlaTeam => {
    const mine = input.rows.filter((r) => r.teamId === day.teamId && within(r, day.from, day.to));
    const breaches = mine.filter((r) => r.kind === 'breach').sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.leadId.localeCompare(b.leadId));
    for (const b of breaches) allLeads.add(b.leadId);
    total += breaches.length;
    const byClock = [...countBy(breaches, (r) => r.clock)].map(([clock, g]) => ({ clock, breaches: g.n })).sort(byCountThenKey((c) => c.breaches, (c) => c.clock));
    const byRep = [...countBy(breaches, (r) => r.ownerRepId)].map(([repId, g]) => ({ repId, breaches: g.n })).sort(byCountThenKey((c) => c.breaches, (c) => c.repId));
    return {
      ...day,
      breaches: breaches.length,
      leads: new Set(breaches.map((b) => b.leadId)).size,
      escalationSteps: mine.filter((r) => r.kind === 'escalation').length,
      byClock,
      byRep,
      items: breaches.slice(0, input.itemLimit).map((b) => ({
        leadId: b.leadId, clock: b.clock, ownerRepId: b.ownerRepId, deadline: b.deadline, occurredAt: b.occurredAt,
        // Whole minutes, rounded down: "late by 0 minutes" is a breach the timer fired at once.
        minutesLate: Math.floor(b.secondsAfterDeadline / 60),
      })),
      more: Math.max(0, breaches.length - input.itemLimit),
    };
  });
  return { kind: 'missed-sla', managerId: input.managerId, date: input.date, teams, totals: { breaches: total, leads: allLeads.size } };
}

/**
 * The weekly fallback review: the reassignments the escalation ladders made
 * in [from, to) (ladder steps with action `reassign`, as bi.breach_v1 counts
 * them), per rep who lost the lead (with their team) and per lead source,
 * most first; only the given teams' when `teams` is set.
 */
export function buildFallbackReview(input: { week: string; from: string; to: string; teams: readonly string[] | null; rows: readonly DigestRow[] }): FallbackReviewDigest {
  const rows = input.rows.filter(
    (r) => r.kind === 'escalation' && r.action === 'reassign' && within(r, input.from, input.to) && (input.teams === null || (r.teamId !== null && input.teams.includes(r.teamId))),
  );
  const byRep = [...countBy(rows, (r) => `${r.ownerRepId ?? ''}\u0000${r.teamId ?? ''}`)]
    .map(([key, g]) => {
      const [repId, teamId] = key.split('\u0000');
      return { repId: repId || null, teamId: teamId || null, reassignments: g.n, leads: g.leads.size };
    })
    .sort(byCountThenKey((r) => r.reassignments, (r) => r.repId));
  const bySource = [...countBy(rows, (r) => r.source ?? '(unknown)')]
    .map(([source, g]) => ({ source, reassignments: g.n, leads: g.leads.size }))
    .sort(byCountThenKey((s) => s.reassignments, (s) => s.source));
  return {
    kind: 'fallback-review', week: input.week, from: input.from, to: input.to, teams: input.teams === null ? null : [...input.teams],
    totals: { reassignments: rows.length, leads: new Set(rows.map((r) => r.leadId)).size }, byRep, bySource,
  };
}

/** "2026-W48" → the week's [Monday 00:00, next Monday 00:00) in UTC (ISO 8601 weeks); null when it is not a real ISO week. */
export function isoWeekBounds(week: string): { from: string; to: string } | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  // Week 1 holds January 4th; its Monday starts the ISO year.
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  const from = monday1 + (n - 1) * 7 * 86_400_000;
  if (n < 1 || isoWeekOf(new Date(from).toISOString().slice(0, 10)) !== week) return null;
  return { from: new Date(from).toISOString(), to: new Date(from + 7 * 86_400_000).toISOString() };
}

/** The ISO week ("2026-W48") of a date "YYYY-MM-DD". */
export function isoWeekOf(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const n = Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(n).padStart(2, '0')}`;
}
