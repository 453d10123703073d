import { setup } from '../testing/timer-repository.setup';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const ago = (days: number) => new Date(NOW - days * DAY);

describe('pruning finished deadlines (real Postgres)', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    s = await setup();
  }, 60_000);
  afterAll(async () => {
    await s?.ctx.close();
  });

  const insert = (id: string, lead: string, status: string, finishedDaysAgo: number | null) =>
    s.ctx.sql.query(
      `INSERT INTO timer.deadlines (id, lead_id, partition, clock, kind, due_at, status, payload, created_at, fired_at, cause_event_id)
       VALUES ($1, $2, 0, 'first-touch', 'breach', $3, $4, '{}', $3, $5, 'cause')`,
      [id, lead, ago(40), status, finishedDaysAgo === null ? null : ago(finishedDaysAgo)],
    );

  it('deletes only fired or cancelled rows older than the retention of leads with no pending deadline, in batches', async () => {
    const { sut, ctx } = s;
    for (let i = 0; i < 5; i++) await insert(`old-fired-${i}`, `lead-done-${i}`, 'fired', 40);
    await insert('old-cancelled', 'lead-cancelled', 'cancelled', null);
    await insert('young-fired', 'lead-young', 'fired', 1);
    await insert('old-fired-live-lead', 'lead-live', 'fired', 40);
    await insert('live-pending', 'lead-live', 'pending', null);
    const before = ago(30);
    const batches: number[] = [];
    for (;;) {
      const n = await ctx.tx((tx) => sut.pruneFinished(tx, before, 2));
      batches.push(n);
      if (n < 2) break;
    }
    const left = (await ctx.sql.query<{ id: string }>('SELECT id FROM timer.deadlines ORDER BY id')).map((r) => r.id);
    console.log(`deadline pruning: batches ${batches.join(', ')}; kept ${left.join(', ')}`);
    expect(batches).toEqual([2, 2, 2, 0]);
    expect(left).toEqual(['live-pending', 'old-fired-live-lead', 'young-fired']);
  });
});
