import { foldInputs } from '@lead-sla/decider';
import type { Tx } from '@lead-sla/platform';
import type { TestDatabase } from '@lead-sla/testing';
import type { RoutingInputEvent } from '../domain/routing-events.types';
import type { RoutingState } from '../domain/routing-state.types';
import { NOW, env, lead, rep, routingState, testPolicy } from '../testing/routing.fixture';
import { input, routingDecider } from '../testing/routing.harness';
import { setup } from '../testing/routing-repository.setup';
import { RoutingDeciderService } from './routing-decider.service';
import type { RoutingStateRepository } from './routing-state.repository';

// Routing locks what a batch's leads touch (batch-footprint.ts): batches on disjoint pools run side by side, batches
// sharing a pool or rep take turns, on real Postgres.

const policy = testPolicy();

function created(leadId: string, over: { source?: string; territory?: string }): RoutingInputEvent {
  const data = { source: over.source ?? 'web', segment: 'smb', territory: over.territory ?? 'emea', intentTier: 'warm', vip: false, contact: { contactKey: `${leadId}@x.test` }, channels: ['email'] };
  return input('LeadCreated', data as never, leadId, `created-${leadId}`);
}

const samAvailable = (eventId: string) => input('RepAvailabilityChanged', { actor: null, repId: 'sam', status: 'available' } as never, null, eventId);

/** A gate a test opens by hand. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe('routing locks only what a batch touches (real Postgres)', () => {
  let sut: RoutingStateRepository;
  let ctx: TestDatabase;
  let service: RoutingDeciderService;

  beforeEach(async () => {
    ({ sut, ctx } = await setup());
    service = new RoutingDeciderService(sut, { offer: () => undefined }, { now: () => new Date(NOW) });
  });
  afterEach(async () => {
    await ctx.close();
  });

  /** One batch in its own transaction: load (locks), decide, save, then hold the transaction open until `commit` opens. */
  function batch(inputs: RoutingInputEvent[], commit: Promise<void>, log: string[], name: string) {
    let loaded!: () => void;
    const locked = new Promise<void>((r) => (loaded = r));
    const done = ctx.tx(async (tx: Tx) => {
      const keys = [...new Set(inputs.flatMap((i) => service.keysOf(i)))];
      const before: RoutingState = await service.load(tx, keys, inputs, [policy]);
      log.push(`${name} locked`);
      loaded();
      const decided = foldInputs(routingDecider, before, inputs, () => env({ policy }), new Date(NOW));
      await sut.save(tx, before, decided.state);
      await commit;
      log.push(`${name} commits`);
      return decided.emitted;
    });
    return { locked, done };
  }

  it('runs two batches on disjoint pools side by side: both hold their locks at the same time', async () => {
    const log: string[] = [];
    const commitA = gate();
    const commitB = gate();
    // A partner lead routes in "solo" (sam, no backup); an emea lead in emea → amer: no pool or rep in common.
    const a = batch([created('a-1', { source: 'partner' })], commitA.wait, log, 'A');
    await a.locked;
    const b = batch([created('b-1', { territory: 'emea' })], commitB.wait, log, 'B');
    await b.locked;
    expect(log).toEqual(['A locked', 'B locked']);
    commitB.open();
    commitA.open();
    const [emittedA, emittedB] = await Promise.all([a.done, b.done]);
    expect(emittedA.map((e) => [e.type, (e.data as { repId?: string }).repId])).toEqual([['LeadAssigned', 'sam']]);
    expect(emittedB.map((e) => [e.type, (e.data as { repId?: string }).repId])).toEqual([['LeadAssigned', 'ava']]);
  });

  it('makes a batch sharing a pool wait until the first commits, so a queued lead is assigned once', async () => {
    // sam is away and a partner lead waits for him in the queue.
    const empty = await ctx.tx((tx) => service.load(tx, ['lead:q-1'], [], [policy]));
    const queued = lead({ leadId: 'q-1', poolId: 'solo', ruleId: 'partners', contactKey: 'q@x.test' });
    const seeded = routingState({ reps: [rep('sam', { available: false })], leads: [queued], queue: [{ leadId: 'q-1', queuedAt: NOW, excludeRepIds: [], reassignmentCause: null }] });
    await ctx.tx((tx) => sut.save(tx, empty, { ...seeded, pools: empty.pools }));

    const log: string[] = [];
    const commitA = gate();
    // Two instances hear sam is back (say the fact and its redelivery on another partition): each would drain q-1.
    const a = batch([samAvailable('back-1')], commitA.wait, log, 'A');
    await a.locked;
    const b = batch([samAvailable('back-2')], Promise.resolve(), log, 'B');
    await new Promise((r) => setTimeout(r, 300));
    expect(log).toEqual(['A locked']);
    commitA.open();
    const [emittedA, emittedB] = await Promise.all([a.done, b.done]);
    expect(log).toEqual(['A locked', 'A commits', 'B locked', 'B commits']);
    expect(emittedA.map((e) => [e.type, e.leadId, (e.data as { repId?: string }).repId])).toEqual([['LeadAssigned', 'q-1', 'sam']]);
    expect(emittedB).toEqual([]);
    const rows = await ctx.dataSource.query(`SELECT lead_id, owner_rep_id FROM routing.leads`);
    expect(rows).toEqual([{ lead_id: 'q-1', owner_rep_id: 'sam' }]);
    expect(await ctx.dataSource.query(`SELECT count(*)::int AS n FROM routing.unassigned_queue`)).toEqual([{ n: 0 }]);
  });

  it('serialises two new leads of the same contact on their contact key, so the second is routed as a duplicate', async () => {
    const log: string[] = [];
    const commitA = gate();
    const first = created('d-1', { source: 'partner' });
    const second = created('d-2', { territory: 'emea' });
    const sameContact = (e: RoutingInputEvent) => ({ ...e, data: { ...(e.data as object), contact: { contactKey: 'jo@x.test' } } }) as RoutingInputEvent;
    const a = batch([sameContact(first)], commitA.wait, log, 'A');
    await a.locked;
    const b = batch([sameContact(second)], Promise.resolve(), log, 'B');
    await new Promise((r) => setTimeout(r, 300));
    expect(log).toEqual(['A locked']);
    commitA.open();
    const [, emittedB] = await Promise.all([a.done, b.done]);
    expect(emittedB.map((e) => [e.type, (e.data as { repId?: string; reason?: string }).reason, (e.data as { repId?: string }).repId])).toEqual([['LeadAssigned', 'duplicate', 'sam']]);
  });

  it('never waits out of order: a second lock in the same transaction on a row another batch holds fails fast (transient, retried) instead', async () => {
    const commitA = gate();
    let lockedA!: () => void;
    const heldByA = new Promise<void>((r) => (lockedA = r));
    const a = ctx.tx(async (tx: Tx) => {
      await sut.load(tx, { leadIds: [], contactKeys: [], contactOfLeadIds: [], accountDomains: [] }, () => ({ pools: ['amer'], reps: [], keys: [] }));
      lockedA();
      await commitA.wait;
    });
    await heldByA;
    const started = Date.now();
    // B's first chunk locks emea (in order); its next chunk needs amer, which sorts before what B holds.
    const b = ctx.tx(async (tx: Tx) => {
      await sut.load(tx, { leadIds: [], contactKeys: [], contactOfLeadIds: [], accountDomains: [] }, () => ({ pools: ['emea'], reps: [], keys: [] }));
      await sut.load(tx, { leadIds: [], contactKeys: [], contactOfLeadIds: [], accountDomains: [] }, () => ({ pools: ['amer'], reps: [], keys: [] }));
    });
    await expect(b).rejects.toMatchObject({ code: '55P03' });
    expect(Date.now() - started).toBeLessThan(5_000);
    commitA.open();
    await a;
  });
});
