import { setup } from '../testing/reporting-database.setup';
import { london, newYork, rowsOf, stream } from './digest-stream.fixture';
import { buildFallbackReview, buildMissedSlaDigest, isoWeekBounds } from './domain/digest-builder';

describe("the digests' queries on real Postgres", () => {
  let fixture: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    fixture = await setup();
    await fixture.ctx.project(stream);
  }, 60_000);
  afterAll(async () => {
    await fixture?.ctx.close();
  });

  it("gives each team's local day in its zone as UTC instants (Postgres's zone rules)", async () => {
    expect(await fixture.sut.localDays('2026-12-01', [{ teamId: 'team-a', timeZone: 'Europe/London' }, { teamId: 'team-b', timeZone: 'America/New_York' }])).toEqual([london, newYork]);
    // The day New York falls back is 25 hours long.
    expect(await fixture.sut.localDays('2026-11-01', [{ teamId: 'team-b', timeZone: 'America/New_York' }])).toEqual([
      { teamId: 'team-b', timeZone: 'America/New_York', from: '2026-11-01T04:00:00.000Z', to: '2026-11-02T05:00:00.000Z' },
    ]);
  });

  it('answers the same digests from the tables as the pure builder from the folded stream', async () => {
    const from = london.from;
    const to = newYork.to;
    const fromTables = await fixture.sut.digestRows(from, to, ['team-a', 'team-b']);
    const input = { managerId: 'mgr-a', date: '2026-12-01', teams: [london, newYork], itemLimit: 3 };
    expect(buildMissedSlaDigest({ ...input, rows: fromTables })).toEqual(buildMissedSlaDigest({ ...input, rows: rowsOf(stream) }));
    expect(buildMissedSlaDigest({ ...input, rows: fromTables }).totals).toEqual({ breaches: 6, leads: 5 });

    const week = isoWeekBounds('2026-W49')!;
    const review = buildFallbackReview({ week: '2026-W49', ...week, teams: null, rows: await fixture.sut.digestRows(week.from, week.to, null) });
    expect(review).toEqual(buildFallbackReview({ week: '2026-W49', ...week, teams: null, rows: rowsOf(stream) }));
    expect(review.bySource.map((s) => s.source)).toEqual(['webinar', 'demo-request']);
  });
});
