import type { LeadEvent } from '@lead-sla/contracts';
import { breachRowKeyOf, evolveBreachRow, type BreachRow } from '../projections/breach-row.projection';
import { evolveLeadRow, leadRowKeyOf, type LeadRow } from '../projections/lead-row.projection';
import { leadAssigned, leadCreated, slaBreached, slaEscalated } from '../testing/lead-events.fixture';
import { buildFallbackReview, buildMissedSlaDigest, isoWeekBounds, isoWeekOf, type DigestRow } from './domain/digest-builder';

/** Folds a fixed stream through the breach-row and lead-row projections, as reporting's consumer does, into the digests' rows. */
function rowsOf(stream: readonly LeadEvent[]): DigestRow[] {
  const breaches = new Map<string, BreachRow | null>();
  const leads = new Map<string, LeadRow | null>();
  for (const e of stream) {
    const bk = breachRowKeyOf(e);
    if (bk) breaches.set(bk, evolveBreachRow(breaches.get(bk) ?? null, e));
    const lk = leadRowKeyOf(e);
    if (lk) leads.set(lk, evolveLeadRow(leads.get(lk) ?? null, e));
  }
  return [...breaches.values()].flatMap((b) => (b ? [{ ...b, source: leads.get(b.leadId)?.source ?? null }] : []));
}

// Tuesday 1 December 2026 in London (GMT) is [00:00Z, 24:00Z); in New York (EST) [05:00Z, next day 05:00Z).
const london = { teamId: 'team-a', timeZone: 'Europe/London', from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' };
const newYork = { teamId: 'team-b', timeZone: 'America/New_York', from: '2026-12-01T05:00:00.000Z', to: '2026-12-02T05:00:00.000Z' };

const stream: LeadEvent[] = [
  leadCreated('l1', '2026-12-01T08:00:00.000Z', { source: 'webinar' }),
  leadAssigned('l1', '2026-12-01T08:01:00.000Z', 'ava'),
  slaBreached('l1', '2026-12-01T08:11:30.000Z', 'first_touch', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T08:11:00.000Z' }),
  slaEscalated('l1', '2026-12-01T08:11:31.000Z', 'first_touch', 1, 'reassign', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T08:11:00.000Z' }),
  leadCreated('l2', '2026-12-01T09:00:00.000Z', { source: 'demo-request' }),
  slaBreached('l2', '2026-12-01T09:20:00.000Z', 'first_touch', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T09:10:00.000Z' }),
  slaBreached('l2', '2026-12-01T12:00:00.000Z', 'accept_reject', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T11:00:00.000Z' }),
  slaEscalated('l2', '2026-12-01T12:00:01.000Z', 'accept_reject', 1, 'reassign', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T11:00:00.000Z' }),
  leadCreated('l3', '2026-12-01T10:00:00.000Z', { source: 'webinar' }),
  slaBreached('l3', '2026-12-01T10:30:00.000Z', 'first_touch', { ownerRepId: 'ben', teamId: 'team-a', deadline: '2026-12-01T10:10:00.000Z' }),
  slaEscalated('l3', '2026-12-01T10:30:01.000Z', 'first_touch', 1, 'reassign', { ownerRepId: 'ben', teamId: 'team-a', deadline: '2026-12-01T10:10:00.000Z' }),
  // The unassigned queue of team-a: no owner.
  slaBreached('q1', '2026-12-01T23:59:59.000Z', 'unassigned_queue', { ownerRepId: null, teamId: 'team-a', deadline: '2026-12-01T23:50:00.000Z' }),
  // The next London day: not in the report.
  slaBreached('l4', '2026-12-02T00:00:00.000Z', 'first_touch', { ownerRepId: 'ben', teamId: 'team-a', deadline: '2026-12-01T23:50:00.000Z' }),
  // New York: 03:00Z is still 30 November there; 04:59Z too; 05:00Z is 1 December.
  slaBreached('n1', '2026-12-01T03:00:00.000Z', 'first_touch', { ownerRepId: 'dev', teamId: 'team-b', deadline: '2026-12-01T02:50:00.000Z' }),
  slaBreached('n2', '2026-12-01T05:00:00.000Z', 'first_touch', { ownerRepId: 'dev', teamId: 'team-b', deadline: '2026-12-01T04:50:00.000Z' }),
  // Another team of another manager: never in these digests.
  slaBreached('x1', '2026-12-01T10:00:00.000Z', 'first_touch', { ownerRepId: 'zed', teamId: 'team-z', deadline: '2026-12-01T09:50:00.000Z' }),
];

describe('the daily missed-SLA digest, built from a fixed stream', () => {
  const digest = buildMissedSlaDigest({ managerId: 'mgr-a', date: '2026-12-01', teams: [london, newYork], rows: rowsOf(stream), itemLimit: 3 });

  it("counts each team's breaches in the team's own local day, not ladder steps, and lists them in time order", () => {
    const [a, b] = digest.teams;
    expect(a).toMatchObject({ teamId: 'team-a', breaches: 5, leads: 4, escalationSteps: 3, more: 2 });
    expect(a.items.map((i) => `${i.leadId}:${i.clock}:${i.minutesLate}`)).toEqual(['l1:first_touch:0', 'l2:first_touch:10', 'l3:first_touch:20']);
    expect(b).toMatchObject({ teamId: 'team-b', breaches: 1, leads: 1, escalationSteps: 0, more: 0 });
    expect(b.items.map((i) => i.leadId)).toEqual(['n2']);
    expect(digest.totals).toEqual({ breaches: 6, leads: 5 });
  });

  it('sums per clock and per rep, most first (the queue, without an owner, last among equals)', () => {
    expect(digest.teams[0].byClock).toEqual([{ clock: 'first_touch', breaches: 3 }, { clock: 'accept_reject', breaches: 1 }, { clock: 'unassigned_queue', breaches: 1 }]);
    expect(digest.teams[0].byRep).toEqual([{ repId: 'ava', breaches: 3 }, { repId: 'ben', breaches: 1 }, { repId: null, breaches: 1 }]);
  });
});

describe('the weekly fallback review, built from a fixed stream', () => {
  const week = isoWeekBounds('2026-W49')!;

  it('counts the ladder reassignments of the week per rep who lost the lead and per lead source', () => {
    const review = buildFallbackReview({ week: '2026-W49', ...week, teams: null, rows: rowsOf(stream) });
    expect(review.totals).toEqual({ reassignments: 3, leads: 3 });
    expect(review.byRep).toEqual([
      { repId: 'ava', teamId: 'team-a', reassignments: 2, leads: 2 },
      { repId: 'ben', teamId: 'team-a', reassignments: 1, leads: 1 },
    ]);
    expect(review.bySource).toEqual([
      { source: 'webinar', reassignments: 2, leads: 2 },
      { source: 'demo-request', reassignments: 1, leads: 1 },
    ]);
  });

  it("keeps to the teams asked for, and to the week's bounds", () => {
    expect(buildFallbackReview({ week: '2026-W49', ...week, teams: ['team-b'], rows: rowsOf(stream) }).totals).toEqual({ reassignments: 0, leads: 0 });
    expect(buildFallbackReview({ week: '2026-W50', ...isoWeekBounds('2026-W50')!, teams: null, rows: rowsOf(stream) }).byRep).toEqual([]);
  });
});

describe('ISO weeks', () => {
  it('run Monday to Monday in UTC, and refuse a week that does not exist', () => {
    expect(isoWeekBounds('2026-W49')).toEqual({ from: '2026-11-30T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' });
    expect(isoWeekBounds('2027-W53')).toBeNull(); // 2027 has 52 ISO weeks; 2026 (starting on a Thursday) has 53
    expect(isoWeekBounds('2020-W53')).toEqual({ from: '2020-12-28T00:00:00.000Z', to: '2021-01-04T00:00:00.000Z' });
    expect(isoWeekBounds('2026-48')).toBeNull();
    expect([isoWeekOf('2026-11-30'), isoWeekOf('2027-01-03'), isoWeekOf('2027-01-04')]).toEqual(['2026-W49', '2026-W53', '2027-W01']);
  });
});
