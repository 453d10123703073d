import fc from 'fast-check';
import { foldInputs } from '@lead-sla/decider';
import type { RoutingInputEvent } from '../domain/routing-events.types';
import type { LeadRoutingState, QueuedLead, RoutingEnv, RoutingState } from '../domain/routing-state.types';
import { NOW, env, lead, learnedOwner, minutesBefore, minutesAfter, offShift, pool, rep, routingState, testPolicy } from '../testing/routing.fixture';
import { input, routingDecider } from '../testing/routing.harness';
import { batchFootprint, footprintCovers, type BatchFootprint } from './batch-footprint';

// The proof behind routing's row locks: a batch decided on the state restricted to its footprint (what the repository
// locks and loads) emits the same events and makes the same changes as on the whole state, and changes nothing outside it.

const REPS = ['ava', 'ben', 'cai', 'dev', 'eli', 'fay', 'gus', 'sam', 'data-desk'];
const POOLS = ['emea', 'amer', 'vip', 'solo', 'gone'];
const CONTACTS = ['c1@x.test', 'c2@x.test', 'c3@x.test'];
const DOMAINS = [null, 'acme.test', 'globex.test'];
const math = { startedAt: NOW, coverageStart: NOW, coverageMinutes: 10, deadline: NOW, calendarId: 'always', timeZone: 'UTC' };
const manager = { kind: 'person' as const, id: 'mgr-emea', role: 'manager' as const };

const repArb = fc.record({
  repId: fc.constantFrom(...REPS),
  available: fc.boolean(),
  pto: fc.boolean(),
  override: fc.boolean(),
  inRotation: fc.boolean(),
  open: fc.integer({ min: 0, max: 3 }),
});

const leadArb = fc.record({
  kind: fc.constantFrom('owned' as const, 'queued' as const, 'released' as const, 'fresh' as const),
  pool: fc.constantFrom(...POOLS),
  owner: fc.constantFrom(...REPS),
  previous: fc.constantFrom(...REPS),
  awaiting: fc.boolean(),
  contact: fc.constantFrom(...CONTACTS),
  domain: fc.constantFrom(...DOMAINS),
  territory: fc.constantFrom('emea', 'na', 'apac'),
  vip: fc.boolean(),
  source: fc.constantFrom('web', 'partner'),
  createdMinutesAgo: fc.integer({ min: 0, max: 120 }),
  exclude: fc.subarray(REPS, { maxLength: 2 }),
});

type LeadSpec = typeof leadArb extends fc.Arbitrary<infer T> ? T : never;

const inputArb = fc.record({
  kind: fc.constantFrom(
    'create', 'create', 'requalify', 'touch', 'breach', 'escalate', 'bounce', 'cleanup', 'fix', 'availability', 'reinstate',
    'reassign', 'recycle', 'suppress', 'consent', 'stage', 'wake', 'disposition',
  ),
  lead: fc.nat(),
  rep: fc.constantFrom(...REPS),
  status: fc.constantFrom('available', 'unavailable', 'pto', 'shift_override'),
  spec: leadArb,
});

const policyArb = fc.record({
  afterHours: fc.constantFrom('assign_in_pool' as const, 'on_shift_only' as const),
  aePool: fc.constantFrom(undefined, 'vip', 'solo'),
  accountOwner: fc.constantFrom(undefined, 'fay', 'sam'),
  offShift: fc.subarray(REPS, { maxLength: 4 }),
  penalty: fc.integer({ min: 1, max: 3 }),
});

function leadOf(id: string, s: LeadSpec): LeadRoutingState {
  const base = lead({
    leadId: id,
    contactKey: s.contact,
    accountDomain: s.domain,
    createdAt: minutesBefore(NOW, s.createdMinutesAgo),
    attributes: { source: s.source, territory: s.territory, segment: 'smb', intentTier: 'warm', vip: s.vip },
  });
  const history = [{ repId: s.previous, assignedAt: minutesBefore(NOW, 200), reason: 'rule' }];
  switch (s.kind) {
    case 'owned':
      return { ...base, poolId: s.pool, ruleId: s.pool, ownerRepId: s.owner, awaitingFirstTouch: s.awaiting, ownerHistory: [...history, { repId: s.owner, assignedAt: minutesBefore(NOW, 100), reason: 'rule' }] };
    case 'queued':
      return { ...base, poolId: s.pool, ruleId: s.pool, ownerHistory: history };
    case 'released':
      return { ...base, poolId: s.pool, awaitingFirstTouch: false, released: 'recycled', ownerHistory: history };
    case 'fresh':
      return base;
  }
}

type InputSpec = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

function inputOf(i: number, k: InputSpec, leadIds: readonly string[]): RoutingInputEvent {
  const id = `in-${i}`;
  const leadId = leadIds[k.lead % leadIds.length];
  const at = <E extends RoutingInputEvent>(e: E): E => ({ ...e, occurredAt: minutesAfter(NOW, i), recordedAt: minutesAfter(NOW, i) });
  switch (k.kind) {
    case 'create': {
      const s = k.spec;
      const data = { source: s.source, segment: 'smb', territory: s.territory, intentTier: 'warm', vip: s.vip, contact: { contactKey: s.contact }, channels: ['email'], accountDomain: s.domain ?? undefined };
      return at(input('LeadCreated', data as never, k.lead % 3 === 0 ? leadId : `new-${i}`, id));
    }
    case 'requalify':
      return at(input('LeadRequalified', { trigger: 'signal', nurtureTrack: 'n', signalEventId: null, policyVersion: 'test-1' }, leadId, id));
    case 'touch':
      return at(input('LeadTouched', { repId: k.rep, channel: 'phone', direction: 'outbound', personal: true, automated: false }, leadId, id));
    case 'breach':
      return at(input('SlaBreached', { clockId: `k-${i}`, clock: 'first_touch', tier: 'standard', ownerRepId: k.rep, teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1' }, leadId, id));
    case 'escalate':
      return at(input('SlaEscalated', { clockId: `k-${i}`, clock: 'first_touch', tier: 'standard', ownerRepId: k.rep, teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1', step: 1, action: 'reassign', lastStep: true }, leadId, id));
    case 'bounce':
      return at(input('ContactBounced', { channel: 'email' }, leadId, id));
    case 'cleanup':
      return at(input('DataCleanupRequested', { channel: 'phone', ownerRepId: k.rep, detail: 'invalid number' } as never, leadId, id));
    case 'fix':
      return at(input('ContactFixed', { channel: 'email' }, leadId, id));
    case 'availability': {
      const interval = k.status === 'pto' || k.status === 'shift_override' ? { from: NOW, to: minutesAfter(NOW, 60) } : {};
      return at(input('RepAvailabilityChanged', { actor: null, repId: k.rep, status: k.status, ...interval } as never, null, id));
    }
    case 'reinstate':
      return at(input('RepReinstated', { actor: null, repId: k.rep, managerId: 'mgr-emea' }, null, id));
    case 'reassign':
      return at(input('LeadReassignmentRequested', { toRepId: k.rep, fromRepId: k.spec.owner, actor: manager }, leadId, id));
    case 'recycle':
      return at(input('LeadRecycled', { previousRepId: null, code: 'nurture', reason: 'later', nurtureTrack: 'n', trigger: 'time', requalifyAt: NOW, policyVersion: 'p' }, leadId, id));
    case 'suppress':
      return at(input('LeadSuppressed', { cause: 'disposition', code: 'do_not_contact', reason: null, policyVersion: 'p' }, leadId, id));
    case 'consent':
      return at(input('ConsentWithdrawn', { channel: 'email', source: 'unsubscribe' } as never, leadId, id));
    case 'stage':
      return at(input('LeadStageChanged', { from: 'sal', to: 'sql', by: 'ava', reason: null }, leadId, id));
    case 'wake':
      return at(input('RoutingWakeUp', { reason: 'coverage_start', subject: 'emea', dueAt: NOW } as never, null, id));
    case 'disposition':
      return at(input('LeadDispositioned', { actor: null, repId: 'ava', code: 'working', nextStep: 'call back' }, leadId, id));
    default:
      throw new Error(`batch-footprint.spec: unknown input kind ${JSON.stringify(k)}`);
  }
}

/** What the repository loads without any lock: the batch's leads, the other leads of their contacts, the queue, and the contacts' and companies' facts. */
function preRead(full: RoutingState, inputs: readonly RoutingInputEvent[]): RoutingState {
  const ids = new Set(inputs.flatMap((e) => (e.leadId === null ? [] : [e.leadId])));
  const contacts = new Set(inputs.flatMap((e) => (e.type === 'LeadCreated' ? [e.data.contact.contactKey] : [])));
  for (const e of inputs) if (e.type === 'LeadRequalified' && e.leadId !== null && full.leads.has(e.leadId)) contacts.add(full.leads.get(e.leadId)!.contactKey);
  const picked = [...full.leads.values()].filter((l) => ids.has(l.leadId) || contacts.has(l.contactKey) || full.queue.has(l.leadId));
  const domains = new Set([
    ...inputs.flatMap((e) => (e.type === 'LeadCreated' && e.data.accountDomain ? [e.data.accountDomain.toLowerCase()] : [])),
    ...picked.flatMap((l) => (l.accountDomain === null ? [] : [l.accountDomain])),
  ]);
  const contactKeys = new Set([...contacts, ...picked.map((l) => l.contactKey)]);
  return {
    ...full,
    pools: new Map(),
    reps: new Map(),
    leads: new Map(picked.map((l) => [l.leadId, l])),
    logs: new Map(picked.map((l) => [l.leadId, full.logs.get(l.leadId) ?? []])),
    learnedAccountOwners: new Map([...full.learnedAccountOwners].filter(([d]) => domains.has(d))),
    suppressedContacts: new Map([...full.suppressedContacts].filter(([c]) => contactKeys.has(c))),
  };
}

/** What the repository holds once the footprint is locked: its pools and reps, and the queue entries of its pools. */
function restricted(read: RoutingState, full: RoutingState, f: BatchFootprint): RoutingState {
  const pools = new Set(f.pools);
  const reps = new Set(f.reps);
  return {
    ...read,
    pools: new Map([...full.pools].filter(([id]) => pools.has(id))),
    reps: new Map([...full.reps].filter(([id]) => reps.has(id))),
    queue: new Map([...full.queue].filter(([id]) => pools.has(full.leads.get(id)?.poolId ?? ''))),
  };
}

function only<V>(m: ReadonlyMap<string, V>, keep: ReadonlySet<string>): [string, V][] {
  return [...m].filter(([k]) => keep.has(k)).sort(([a], [b]) => a.localeCompare(b));
}

function without<V>(m: ReadonlyMap<string, V>, drop: ReadonlySet<string>): [string, V][] {
  return [...m].filter(([k]) => !drop.has(k)).sort(([a], [b]) => a.localeCompare(b));
}

describe('batch footprint: deciding on the locked rows only gives the same result as on the whole state', () => {
  it('emits the same events and makes the same changes for generated states and batches, and changes nothing outside the footprint', () => {
    fc.assert(
      fc.property(
        fc.array(repArb, { maxLength: 9 }),
        fc.array(leadArb, { maxLength: 8 }),
        fc.array(fc.record({ pool: fc.constantFrom(...POOLS), rep: fc.constantFrom(...REPS) }), { maxLength: 4 }),
        fc.array(fc.record({ domain: fc.constantFrom('acme.test', 'globex.test'), rep: fc.constantFrom(...REPS) }), { maxLength: 2 }),
        fc.subarray(CONTACTS, { maxLength: 1 }),
        fc.array(inputArb, { minLength: 1, maxLength: 6 }),
        policyArb,
        (repSpecs, leadSpecs, pointers, owners, suppressed, inputSpecs, p) => {
          const policy = testPolicy({
            afterHours: p.afterHours,
            ...(p.aePool ? { aePool: p.aePool } : {}),
            accountOwners: p.accountOwner ? { 'acme.test': p.accountOwner } : {},
            rotationPenalty: { misses: p.penalty, windowDays: 7 },
          });
          const e: RoutingEnv = env({ policy, isOnShift: offShift(...p.offShift) });
          const leads = leadSpecs.map((s, i) => leadOf(`lead-${i}`, s));
          const queue: QueuedLead[] = leadSpecs.flatMap((s, i) =>
            s.kind === 'queued' ? [{ leadId: `lead-${i}`, queuedAt: minutesBefore(NOW, 30 - i), excludeRepIds: s.exclude, reassignmentCause: i % 2 === 0 ? 'first_touch SLA breached' : null }] : [],
          );
          const full = routingState({
            reps: repSpecs.map((r) =>
              rep(r.repId, {
                available: r.available,
                inRotation: r.inRotation,
                openAwaitingFirstTouch: r.open,
                pto: r.pto ? [{ from: minutesBefore(NOW, 60), to: minutesAfter(NOW, 3) }] : [],
                shiftOverride: r.override ? { from: minutesBefore(NOW, 60), to: minutesAfter(NOW, 60) } : null,
              }),
            ),
            pools: pointers.map((x) => pool(x.pool, x.rep)),
            learnedAccountOwners: Object.fromEntries(owners.map((o) => [o.domain, learnedOwner(o.rep)])),
            leads,
            queue,
            suppressedContacts: Object.fromEntries(suppressed.map((c) => [c, { leadId: 'lead-x', cause: 'consent withdrawn' }])),
          });
          const leadIds = leads.length > 0 ? leads.map((l) => l.leadId) : ['lead-none'];
          const inputs = inputSpecs.map((k, i) => inputOf(i, k, leadIds));

          const read = preRead(full, inputs);
          const footprint = batchFootprint(inputs, [policy], read);
          const locked = restricted(read, full, footprint);
          // The repository's check after locking: the footprint of what it loaded is within what it locked.
          expect(footprintCovers(footprint, batchFootprint(inputs, [policy], locked))).toBe(true);

          const whole = foldInputs(routingDecider, full, inputs, () => e, new Date(NOW));
          const part = foldInputs(routingDecider, locked, inputs, () => e, new Date(NOW));
          expect(part.emitted).toEqual(whole.emitted);

          const pools = new Set(footprint.pools);
          const reps = new Set(footprint.reps);
          expect(only(part.state.pools, pools)).toEqual(only(whole.state.pools, pools));
          expect(only(part.state.reps, reps)).toEqual(only(whole.state.reps, reps));
          expect(without(whole.state.pools, pools)).toEqual(without(full.pools, pools));
          expect(without(whole.state.reps, reps)).toEqual(without(full.reps, reps));
          const loaded = new Set(part.state.leads.keys());
          expect(only(part.state.leads, loaded)).toEqual(only(whole.state.leads, loaded));
          const logsOf = (st: RoutingState) => [...loaded].sort().map((id) => [id, st.logs.get(id) ?? []]);
          expect(logsOf(part.state)).toEqual(logsOf(whole.state));
          expect(without(whole.state.leads, loaded)).toEqual(without(full.leads, loaded));
          // The queue: the same entries in the footprint's pools; none outside it added or removed.
          const queuedIn = (s: RoutingState) => [...s.queue.values()].filter((q) => pools.has(s.leads.get(q.leadId)?.poolId ?? '')).sort((a, b) => a.leadId.localeCompare(b.leadId));
          expect(queuedIn(part.state)).toEqual(queuedIn(whole.state));
          expect([...whole.state.queue.values()].filter((q) => !pools.has(whole.state.leads.get(q.leadId)?.poolId ?? ''))).toEqual(
            [...full.queue.values()].filter((q) => !pools.has(full.leads.get(q.leadId)?.poolId ?? '')),
          );
          expect([...part.state.learnedAccountOwners].sort()).toEqual([...whole.state.learnedAccountOwners].filter(([d]) => part.state.learnedAccountOwners.has(d) || !full.learnedAccountOwners.has(d)).sort());
          expect([...part.state.suppressedContacts].sort()).toEqual([...whole.state.suppressedContacts].filter(([c]) => part.state.suppressedContacts.has(c) || !full.suppressedContacts.has(c)).sort());
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is small while the queue is empty: a new lead locks its rule pool chain, contact and company; a touch only its owner', () => {
    const policy = testPolicy();
    const created = input('LeadCreated', { source: 'partner', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'jo@x.test' }, channels: ['email'], accountDomain: 'Acme.test' } as never, 'l-1');
    expect(batchFootprint([created], [policy], routingState())).toEqual({ pools: ['solo'], reps: ['sam'], keys: ['company:acme.test', 'contact:jo@x.test'] });
    const touched = input('LeadTouched', { repId: 'ava', channel: 'phone', direction: 'outbound', personal: true, automated: false }, 'l-1');
    expect(batchFootprint([touched], [policy], routingState({ leads: [lead({ leadId: 'l-1', poolId: 'emea', ownerRepId: 'ava' })] }))).toEqual({ pools: [], reps: ['ava'], keys: [] });
  });

  it('takes in every queued lead\'s pool chain: the drain after any input may assign them', () => {
    const policy = testPolicy();
    const queued = lead({ leadId: 'q-1', poolId: 'solo' });
    const state = routingState({ leads: [queued], queue: [{ leadId: 'q-1', queuedAt: NOW, excludeRepIds: [], reassignmentCause: null }] });
    const available = input('RepAvailabilityChanged', { actor: null, repId: 'fay', status: 'available' } as never, null);
    expect(batchFootprint([available], [policy], state)).toEqual({ pools: ['solo'], reps: ['fay', 'sam'], keys: [] });
  });
});
