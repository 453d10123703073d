import type { Tx } from '@lead-sla/platform';
import { setup } from '../testing/reporting-database.setup';
import { at, leadAssigned, leadCreated, leadTouched, slaBreached, slaClockStarted } from '../testing/lead-events.fixture';
import { reportingProjections } from './reporting-projections.evolve';

const LEAD = 'store-lead';
const assigned = [
  leadCreated(LEAD, at(0)),
  leadAssigned(LEAD, at(1), 'rep-1'),
  slaClockStarted(LEAD, at(1), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', deadline: at(11) }),
  slaBreached(LEAD, at(11), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
];

describe('projection store on real Postgres', () => {
  let fixture: Awaited<ReturnType<typeof setup>>;
  const query = (sql: string) => fixture.ctx.dataSource.query(sql);
  const inTx = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => fixture.ctx.tx(fn);

  beforeAll(async () => {
    fixture = await setup();
  });
  afterAll(async () => {
    await fixture?.ctx.close();
  });

  it('loads back exactly the state it saved, so the next batch starts where the last one ended', async () => {
    await fixture.ctx.project(assigned);
    const loaded = await inTx((tx) => fixture.ctx.store.load(tx, [LEAD], ['c1'], []));
    const folded = assigned.reduce(reportingProjections.evolve, loaded);

    expect(loaded.leads.get(LEAD)).toMatchObject({ leadId: LEAD, currentRepId: 'rep-1', breachCount: 1 });
    expect(loaded.clocks.get('c1')).toMatchObject({ clockId: 'c1', breachedAt: at(11), deadline: at(11) });
    expect(loaded.board.get(LEAD)).toMatchObject({ ownerRepId: 'rep-1', deadline: at(11), breached: true });
    expect(folded.leads.get(LEAD)).toBe(loaded.leads.get(LEAD));
  });

  it('writes each table once per batch, inserts a breach once, and deletes the board row when the lead leaves the board', async () => {
    expect(await query(`SELECT lead_id, owner_rep_id FROM reporting.board_rows`)).toEqual([{ lead_id: LEAD, owner_rep_id: 'rep-1' }]);
    expect(await query(`SELECT breach_key FROM reporting.breach_rows`)).toEqual([{ breach_key: `${LEAD}/c1/breach` }]);

    const changed = await inTx(async (tx) => {
      const before = await fixture.ctx.store.load(tx, [LEAD], [], []);
      const after = reportingProjections.evolve(before, leadTouched(LEAD, at(12), 'rep-1'));
      return fixture.ctx.store.save(tx, before, after, { notify: false, cells: true });
    });

    expect(changed).toEqual([LEAD]);
    expect(await query(`SELECT lead_id FROM reporting.board_rows`)).toEqual([]);
    expect(await query(`SELECT status, attempts, sla_first_touch_status FROM reporting.lead_rows`)).toEqual([{ status: 'working', attempts: 1, sla_first_touch_status: 'breached' }]);
  });
});
