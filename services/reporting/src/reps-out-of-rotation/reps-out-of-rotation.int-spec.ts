import { setup } from '../testing/reporting-database.setup';
import { at, event } from '../testing/lead-events.fixture';

/** RepRotationChanged as routing emits it: a removal names the misses, a reinstatement names the manager and clears them. */
const removed = (repId: string, when: string, leadIds: readonly string[]) =>
  event('RepRotationChanged', null, when, {
    repId, inRotation: false, cause: 'sla_misses', misses: leadIds.map((leadId, i) => ({ leadId, clock: 'first_touch', breachedAt: at(i) })), by: null, policyVersion: 'p1',
  });
const reinstated = (repId: string, when: string) =>
  event('RepRotationChanged', null, when, { repId, inRotation: true, cause: 'manager_reinstated', misses: [], by: 'mgr-a', policyVersion: 'p1' });

describe('reps out of rotation on real Postgres', () => {
  let fixture: Awaited<ReturnType<typeof setup>>;
  const all = { limit: 100, offset: 0 };

  beforeAll(async () => {
    fixture = await setup();
    // Two batches, like two consumer batches: rep-2 is reinstated in the second one.
    await fixture.ctx.project([removed('rep-1', at(30), ['L1', 'L2']), removed('rep-2', at(20), ['L3', 'L4']), removed('rep-3', at(40), ['L5', 'L6'])]);
    await fixture.ctx.project([reinstated('rep-2', at(50)), removed('rep-1', at(30), ['L1', 'L2'])]);
  });
  afterAll(async () => {
    await fixture?.ctx.close();
  });

  it('lists the reps out of rotation now, longest out first, with the misses and since when', async () => {
    const { items, more } = await fixture.sut.repsOutOfRotation(all);

    expect(more).toBe(false);
    expect(items).toEqual([
      {
        repId: 'rep-1', outSince: at(30), cause: 'sla_misses', missCount: 2, policyVersion: 'p1',
        misses: [{ leadId: 'L1', clock: 'first_touch', breachedAt: at(0) }, { leadId: 'L2', clock: 'first_touch', breachedAt: at(1) }],
      },
      expect.objectContaining({ repId: 'rep-3', outSince: at(40), missCount: 2 }),
    ]);
  });

  it('filters by rep and pages', async () => {
    expect((await fixture.sut.repsOutOfRotation({ ...all, rep: 'rep-3' })).items.map((r) => r.repId)).toEqual(['rep-3']);
    expect((await fixture.sut.repsOutOfRotation({ ...all, rep: 'rep-2' })).items).toEqual([]);
    // A team's reps (the controller takes them from the policy).
    expect((await fixture.sut.repsOutOfRotation(all, ['rep-3', 'rep-2', 'rep-9'])).items.map((r) => r.repId)).toEqual(['rep-3']);
    const first = await fixture.sut.repsOutOfRotation({ limit: 1, offset: 0 });
    expect([first.items.map((r) => r.repId), first.more]).toEqual([['rep-1'], true]);
    const second = await fixture.sut.repsOutOfRotation({ limit: 1, offset: 1 });
    expect([second.items.map((r) => r.repId), second.more]).toEqual([['rep-3'], false]);
  });

  it('serves BI the same reps through bi.reps_out_of_rotation_v1, documented and readable by lead_sla_bi', async () => {
    const bi: Array<Record<string, unknown>> = await fixture.ctx.dataSource.query(
      `SELECT rep_id, out_since, cause, miss_count, misses, policy_version FROM bi.reps_out_of_rotation_v1 ORDER BY out_since, rep_id`,
    );
    const http = await fixture.sut.repsOutOfRotation(all);
    expect(bi.map((r) => [r.rep_id, (r.out_since as Date).toISOString(), r.cause, r.miss_count, r.misses, r.policy_version])).toEqual(
      http.items.map((r) => [r.repId, r.outSince, r.cause, r.missCount, r.misses, r.policyVersion]),
    );
    const [grant] = await fixture.ctx.dataSource.query(`SELECT has_table_privilege('lead_sla_bi', 'bi.reps_out_of_rotation_v1', 'SELECT') AS ok`);
    expect(grant.ok).toBe(true);
    const undocumented: unknown[] = await fixture.ctx.dataSource.query(
      `SELECT a.attname FROM pg_attribute a WHERE a.attrelid = 'bi.reps_out_of_rotation_v1'::regclass AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NULL`,
    );
    expect(undocumented).toEqual([]);
  });

  it('keeps the reinstated rep\'s row, in rotation, with the manager who reinstated them', async () => {
    const [row] = await fixture.ctx.dataSource.query(`SELECT in_rotation, since, changed_by, misses FROM reporting.rep_rotation WHERE rep_id = 'rep-2'`);
    expect(row).toEqual({ in_rotation: true, since: new Date(at(50)), changed_by: 'mgr-a', misses: [] });
  });
});
