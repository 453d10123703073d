import type { TestDatabase } from '@lead-sla/testing';
import { setup } from '../testing/contact-state-repository.setup';
import { day, emptyDispositionState, ev, run } from '../testing/disposition-scenario.fixture';
import type { ContactStateRepository } from './contact-state.repository';

const nurtured = (leadId: string, contactKey: string) => [
  ev.created(leadId, { contactKey }),
  ev.assigned(leadId, 'ava'),
  ev.dispositioned(leadId, 'ava', 'nurture', { reason: 'budget next quarter', at: day(1) }),
];

describe('contact state repository (real Postgres)', () => {
  let sut: ContactStateRepository;
  let ctx: TestDatabase;

  beforeAll(async () => {
    ({ sut, ctx } = await setup());
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('loads nothing for leads it has never seen, and creates the empty row of a named new contact', async () => {
    const state = await ctx.tx((tx) => sut.load(tx, { leadIds: ['unknown-lead'], contactKeys: ['new@example.com'] }));
    expect(state).toEqual({
      contacts: { 'new@example.com': { contactKey: 'new@example.com', leads: {}, suppression: null } },
      leadContacts: {},
      refusals: [],
    });
  });

  it('saves a changed contact with its lead index and due row, and loads it back by lead', async () => {
    const after = run(nurtured('L-save', 'save@example.com')).batch;
    const added = await ctx.tx(async (tx) => {
      const before = await sut.load(tx, { leadIds: ['L-save'], contactKeys: ['save@example.com'] });
      return sut.save(tx, before, after);
    });
    const recycled = after.contacts['save@example.com'].leads['L-save'].recycled!;
    expect(added).toEqual([{ recycledEventId: recycled.recycledEventId, contactKey: 'save@example.com', requalifyAt: new Date(day(61)) }]);

    const loaded = await ctx.tx((tx) => sut.load(tx, { leadIds: ['L-save'], contactKeys: [] }));
    expect(loaded).toEqual({ ...after, refusals: [] });
    expect(await sut.readByLead(ctx.sql, 'L-save')).toEqual(after.contacts['save@example.com']);
    const [row] = await ctx.sql.query(`SELECT lead_id, correlation_id, status FROM disposition.requalify_due WHERE contact_key = 'save@example.com'`);
    expect(row).toEqual({ lead_id: 'L-save', correlation_id: 'corr-L-save', status: 'pending' });
  });

  it('writes nothing when nothing changed, and adds no due row twice', async () => {
    const after = run(nurtured('L-same', 'same@example.com')).batch;
    await ctx.tx((tx) => sut.save(tx, emptyDispositionState, after));
    const again = await ctx.tx(async (tx) => sut.save(tx, await sut.load(tx, { leadIds: ['L-same'], contactKeys: [] }), after));
    expect(again).toEqual([]);
    const rows = await ctx.sql.query(`SELECT status FROM disposition.requalify_due WHERE contact_key = 'same@example.com'`);
    expect(rows).toEqual([{ status: 'pending' }]);
  });

  it('cancels the due row of a recycle the state no longer waits for (re-qualified by a signal)', async () => {
    const steps = nurtured('L-sig', 'sig@example.com');
    const recycledState = run(steps).batch;
    await ctx.tx((tx) => sut.save(tx, emptyDispositionState, recycledState));
    const signalled = run([...steps, ev.created('L-sig-2', { contactKey: 'sig@example.com', at: day(5) })]).batch;
    await ctx.tx(async (tx) => sut.save(tx, await sut.load(tx, { leadIds: ['L-sig-2'], contactKeys: ['sig@example.com'] }), signalled));
    const rows = await ctx.sql.query(`SELECT status FROM disposition.requalify_due WHERE contact_key = 'sig@example.com'`);
    expect(rows).toEqual([{ status: 'cancelled' }]);
    expect(await sut.readByLead(ctx.sql, 'L-sig-2')).toEqual(signalled.contacts['sig@example.com']);
  });

  it('hands out due rows in their window, with the trace context of the recycle, and fires each once', async () => {
    const after = run(nurtured('L-due', 'due@example.com')).batch;
    const trace = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    await ctx.tx((tx) => sut.save(tx, emptyDispositionState, after, () => trace));
    const recycledEventId = after.contacts['due@example.com'].leads['L-due'].recycled!.recycledEventId;

    const inWindow = await sut.pendingDue(ctx.sql, { from: Date.parse(day(60)), until: Date.parse(day(62)) });
    expect(inWindow.map((r) => r.contactKey)).toContain('due@example.com');
    expect(await sut.pendingDue(ctx.sql, { from: Date.parse(day(62)), until: Date.parse(day(70)) })).toEqual([]);
    expect(await ctx.tx((tx) => sut.dueContacts(tx, [recycledEventId], new Date(day(61))))).toEqual(['due@example.com']);
    expect(await ctx.tx((tx) => sut.dueRows(tx, 'due@example.com', new Date(day(60))))).toEqual([]);
    expect(await ctx.tx((tx) => sut.dueRows(tx, 'due@example.com', new Date(day(61))))).toEqual([{ recycledEventId, trace }]);

    await ctx.tx((tx) => sut.markDone(tx, [recycledEventId], new Date(day(61))));
    expect(await ctx.tx((tx) => sut.dueRows(tx, 'due@example.com', new Date(day(61))))).toEqual([]);
    expect(await ctx.tx((tx) => sut.dueContacts(tx, [recycledEventId], new Date(day(61))))).toEqual([]);
  });

  it('locks the loaded contacts until the transaction ends', async () => {
    await ctx.tx((tx) => sut.save(tx, emptyDispositionState, run(nurtured('L-lock', 'lock@example.com')).batch));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let loaded!: () => void;
    const isLoaded = new Promise<void>((r) => (loaded = r));
    const holder = ctx.tx(async (tx) => {
      await sut.load(tx, { leadIds: ['L-lock'], contactKeys: [] });
      loaded();
      await held;
    });
    await isLoaded;
    const blocked = ctx.tx(async (tx) => {
      await tx.execute("SET LOCAL lock_timeout = '200ms'");
      return sut.load(tx, { leadIds: ['L-lock'], contactKeys: [] });
    });
    await expect(blocked).rejects.toThrow(/lock timeout/);
    release();
    await holder;
  });

  it('records an HTTP command once per event id', async () => {
    const eventId = '6f1c1a52-8d7e-4f4e-9a55-0c4c3a8f0b11';
    expect(await sut.commandSeen(ctx.sql, eventId)).toBe(false);
    expect(await ctx.tx((tx) => sut.claimCommand(tx, eventId, 'LeadDispositioned', 'L-http'))).toBe(true);
    expect(await ctx.tx((tx) => sut.claimCommand(tx, eventId, 'LeadDispositioned', 'L-http'))).toBe(false);
    expect(await sut.commandSeen(ctx.sql, eventId)).toBe(true);
  });
});
