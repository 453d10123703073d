import type { DecisionLogEntry, RoutingState } from '../domain/routing-state.types';
import { NOW, lead, ownedLead, pool, rep, routingState } from '../testing/routing.fixture';
import type { TestDatabase } from '@lead-sla/testing';
import { setup } from '../testing/routing-repository.setup';
import type { RoutingStateRepository } from './routing-state.repository';

const POOLS = ['emea', 'amer', 'vip'];
const nothing = { leadIds: [], contactKeys: [], contactOfLeadIds: [], accountDomains: [] };
/** A footprint of these pools and the three emea reps, whatever the state. */
const every = () => ({ pools: POOLS, reps: ['ava', 'ben', 'cai'], keys: [] });

const log: DecisionLogEntry = { kind: 'LeadQueued', eventId: 'e-1', causeEventId: 'c-1', decidedAt: NOW, data: { poolId: 'emea' } };

/** A state with one of everything routing keeps. */
function populated(): RoutingState {
  const queued = lead({ leadId: 'queued-1', poolId: 'emea', contactKey: 'q@acme.test' });
  const s = routingState({
    reps: [
      rep('ava', { available: false, pto: [{ from: NOW, to: '2026-11-25T10:00:00.000Z' }], misses: [{ leadId: 'x', clock: 'first_touch', breachedAt: NOW }], openAwaitingFirstTouch: 2 }),
      rep('cai', { missesClearedAt: NOW }),
      rep('ben', { inRotation: false, shiftOverride: { from: NOW, to: '2026-11-24T18:00:00.000Z' } }),
    ],
    pools: [pool('emea', 'ava')],
    learnedAccountOwners: { 'acme.test': 'ava' },
    leads: [ownedLead('emea', ['ben', 'ava'], { accountDomain: 'acme.test' }), queued],
    queue: [{ leadId: 'queued-1', queuedAt: NOW, excludeRepIds: ['ben'], reassignmentCause: 'first_touch SLA breached' }],
    suppressedContacts: { 'gone@acme.test': { leadId: 'lead-0', cause: 'consent withdrawn' } },
  });
  return { ...s, logs: new Map([['queued-1', [log]]]) };
}

describe('routing state repository (real Postgres)', () => {
  let sut: RoutingStateRepository;
  let ctx: TestDatabase;

  beforeAll(async () => {
    ({ sut, ctx } = await setup());
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('saves a state and loads it back: reps, pools, queue, leads with their logs, account owners and suppressed contacts', async () => {
    const empty = await ctx.tx((tx) => sut.load(tx, nothing, every));
    const state = populated();
    await ctx.tx((tx) => sut.save(tx, empty, { ...state, pools: new Map([...empty.pools, ...state.pools]) }));

    const loaded = await ctx.tx((tx) =>
      sut.load(tx, { leadIds: ['lead-1'], contactKeys: ['gone@acme.test'], contactOfLeadIds: [], accountDomains: ['acme.test'] }, every),
    );
    expect(loaded.reps).toEqual(state.reps);
    expect(loaded.pools).toEqual(new Map([['amer', pool('amer', null)], ['emea', pool('emea', 'ava')], ['vip', pool('vip', null)]]));
    expect(loaded.leads).toEqual(state.leads);
    expect(loaded.logs).toEqual(new Map([['lead-1', []], ['queued-1', [log]]]));
    expect(loaded.queue).toEqual(state.queue);
    expect(loaded.learnedAccountOwners).toEqual(state.learnedAccountOwners);
    expect(loaded.suppressedContacts).toEqual(state.suppressedContacts);
  });

  it('loads the other leads of a re-qualified lead\'s contact, and the whole queue whatever the keys', async () => {
    const before = await ctx.tx((tx) => sut.load(tx, nothing, every));
    const sibling = lead({ leadId: 'sibling', contactKey: 'jo@acme.test', createdAt: '2026-11-24T09:00:00.000Z' });
    await ctx.tx((tx) => sut.save(tx, before, { ...before, leads: new Map([...before.leads, ['sibling', sibling]]) }));
    const loaded = await ctx.tx((tx) => sut.load(tx, { ...nothing, contactOfLeadIds: ['lead-1'] }, every));
    expect([...loaded.leads.keys()].sort()).toEqual(['lead-1', 'queued-1', 'sibling']);
  });

  it('writes only the difference: a dequeued lead leaves the queue, its status follows, untouched rows stay as they were', async () => {
    const before = await ctx.tx((tx) => sut.load(tx, { ...nothing, leadIds: ['queued-1'] }, every));
    const assigned = { ...before.leads.get('queued-1')!, ownerRepId: 'ava' };
    const queue = new Map(before.queue);
    queue.delete('queued-1');
    await ctx.tx((tx) => sut.save(tx, before, { ...before, leads: new Map([...before.leads, ['queued-1', assigned]]), queue }));
    const rows = await ctx.dataSource.query(`SELECT lead_id, status, owner_rep_id FROM routing.leads ORDER BY lead_id`);
    expect(rows).toEqual([
      { lead_id: 'lead-1', status: 'assigned', owner_rep_id: 'ava' },
      { lead_id: 'queued-1', status: 'assigned', owner_rep_id: 'ava' },
      { lead_id: 'sibling', status: 'unassigned', owner_rep_id: null },
    ]);
    expect(await ctx.dataSource.query(`SELECT count(*)::int AS n FROM routing.unassigned_queue`)).toEqual([{ n: 0 }]);
  });

  it('reads what the why endpoint shows', async () => {
    const row = await ctx.tx((tx) => sut.explanation(tx, 'queued-1'));
    expect(row).toMatchObject({ status: 'assigned', decisions: [log], queuedAt: null, state: { leadId: 'queued-1', ownerRepId: 'ava' } });
    expect(await ctx.tx((tx) => sut.explanation(tx, 'nobody'))).toBeNull();
  });

  it('holds the footprint\'s pool and rep rows locked until the batch commits, and only those', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let loaded!: () => void;
    const locked = new Promise<void>((r) => (loaded = r));
    const batch = ctx.tx(async (tx) => {
      await sut.load(tx, nothing, () => ({ pools: ['vip'], reps: ['ben'], keys: [] }));
      loaded();
      await held;
    });
    await locked;
    const tryLock = (sql: string) => ctx.tx((tx) => tx.query(sql)).then(() => 'free', (e: { code?: string }) => e.code);
    expect(await tryLock(`SELECT 1 FROM routing.pools WHERE pool_id = 'vip' FOR UPDATE NOWAIT`)).toBe('55P03');
    expect(await tryLock(`SELECT 1 FROM routing.reps WHERE rep_id = 'ben' FOR UPDATE NOWAIT`)).toBe('55P03');
    expect(await tryLock(`SELECT 1 FROM routing.pools WHERE pool_id = 'emea' FOR UPDATE NOWAIT`)).toBe('free');
    expect(await tryLock(`SELECT 1 FROM routing.reps WHERE rep_id = 'ava' FOR UPDATE NOWAIT`)).toBe('free');
    release();
    await batch;
    expect(await tryLock(`SELECT 1 FROM routing.reps WHERE rep_id = 'ben' FOR UPDATE NOWAIT`)).toBe('free');
  });

  it('makes a second batch wait for the first even when the rows it would lock do not exist yet (a fresh database, a replay)', async () => {
    const fresh = await setup();
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let loaded!: () => void;
      const first = new Promise<void>((r) => (loaded = r));
      const order: string[] = [];
      const one = fresh.ctx.tx(async (tx) => {
        await fresh.sut.load(tx, nothing, every);
        loaded();
        await held;
        order.push('first committed');
      });
      await first;
      const two = fresh.ctx.tx(async (tx) => {
        await fresh.sut.load(tx, nothing, every);
        order.push('second loaded');
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(order).toEqual([]);
      release();
      await Promise.all([one, two]);
      expect(order).toEqual(['first committed', 'second loaded']);
    } finally {
      await fresh.ctx.close();
    }
  });

  it('schedules each wake-up once, lists the pending ones in a window, and fires each once', async () => {
    const opens = { reason: 'coverage_start' as const, dueAt: '2026-11-25T08:00:00.000Z', teamId: 'emea-sdr' };
    const ptoEnds = { reason: 'pto_end' as const, dueAt: '2026-11-25T10:00:00.000Z', repId: 'ava' };
    const first = await ctx.tx((tx) => sut.scheduleWakeUps(tx, [opens, ptoEnds], { traceparent: 't-1' }));
    expect(first.map((w) => w.wakeUpId).sort()).toEqual(['coverage_start:emea-sdr:2026-11-25T08:00:00.000Z', 'pto_end:ava:2026-11-25T10:00:00.000Z']);
    // Another batch computing the same wake-ups adds nothing (nothing to offer the scheduler again).
    expect(await ctx.tx((tx) => sut.scheduleWakeUps(tx, [opens], {}))).toEqual([]);

    const window = { from: Date.parse('2026-11-25T00:00:00.000Z'), until: Date.parse('2026-11-25T09:00:00.000Z') };
    expect((await sut.pendingWakeUps(ctx.sql, window)).map((w) => w.wakeUpId)).toEqual(['coverage_start:emea-sdr:2026-11-25T08:00:00.000Z']);

    const ids = first.map((w) => w.wakeUpId);
    // At 08:30 only the coverage start is due; claimed once, with its data and trace.
    const claimed = await ctx.tx((tx) => sut.claimWakeUps(tx, ids, new Date('2026-11-25T08:30:00.000Z')));
    expect(claimed).toEqual([{ wakeUpId: 'coverage_start:emea-sdr:2026-11-25T08:00:00.000Z', data: opens, trace: { traceparent: 't-1' } }]);
    expect(await ctx.tx((tx) => sut.claimWakeUps(tx, ids, new Date('2026-11-25T08:30:00.000Z')))).toEqual([]);
    expect((await sut.pendingWakeUps(ctx.sql, window)).map((w) => w.wakeUpId)).toEqual([]);
  });
});
