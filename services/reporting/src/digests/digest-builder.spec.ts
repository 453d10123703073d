import { london, newYork, rowsOf, stream } from './digest-stream.fixture';
import { buildFallbackReview, buildMissedSlaDigest, isoWeekBounds, isoWeekOf } from './domain/digest-builder';

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
