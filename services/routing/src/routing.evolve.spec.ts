import fc from 'fast-check';
import type { LeadEvent } from '@lead-sla/contracts';
import { decideAndEvolve } from '@lead-sla/decider';
import type { RoutingInputEvent } from './domain/routing-events.types';
import type { RoutingEnv, RoutingState } from './domain/routing-state.types';
import { evolveRouting } from './routing.evolve';
import { NOW, env, minutesAfter, minutesBefore, ownedLead, pool, rep, routingState, testPolicy } from './testing/routing.fixture';
import { input, routingDecider } from './testing/routing.harness';

// Routing rebuilt as a fold of the log (facts and its own decisions) must not depend on how partitions interleave.

const policy = testPolicy({ rotationPenalty: { misses: 2, windowDays: 1 } });
const envAt = (now: string): RoutingEnv => env({ policy, now });
const REPS = ['ava', 'ben', 'cai', 'dev', 'eli'];
const math = { startedAt: NOW, coverageStart: NOW, coverageMinutes: 10, deadline: NOW, calendarId: 'always', timeZone: 'UTC' };

/** One step of a generated history; lead indexes are taken modulo the leads created so far. */
type Step =
  | { kind: 'create'; territory: 'emea' | 'na'; domain: string | null }
  | { kind: 'touch'; lead: number; rep: number }
  | { kind: 'breach'; lead: number; rep: number; clock: 'first_touch' | 'response' }
  | { kind: 'availability'; rep: number; available: boolean }
  | { kind: 'reinstate'; rep: number }
  | { kind: 'recycle'; lead: number }
  | { kind: 'requalify'; lead: number }
  | { kind: 'consent'; lead: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), territory: fc.constantFrom('emea' as const, 'na' as const), domain: fc.constantFrom(null, 'acme.test', 'globex.test') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('touch' as const), lead: fc.nat(), rep: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('breach' as const), lead: fc.nat(), rep: fc.nat(), clock: fc.constantFrom('first_touch' as const, 'response' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('availability' as const), rep: fc.nat(), available: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reinstate' as const), rep: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recycle' as const), lead: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('requalify' as const), lead: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('consent' as const), lead: fc.nat() }) },
);

function at<E extends RoutingInputEvent>(e: E, time: string): E {
  return { ...e, occurredAt: time, recordedAt: time };
}

/** The input a step stands for at `time`, or null when it needs a lead and none exists yet. Each lead has its own contact. */
function inputOf(s: Step, i: number, leads: string[], state: RoutingState, time: string): RoutingInputEvent | null {
  const id = `e-${i}`;
  const repId = (n: number) => REPS[n % REPS.length];
  if (s.kind === 'create') {
    const leadId = `lead-${leads.length}`;
    leads.push(leadId);
    const data = { source: 'web', segment: 'smb', territory: s.territory, intentTier: 'warm', vip: false, contact: { contactKey: `${leadId}@contact.test` }, channels: ['email'], accountDomain: s.domain ?? undefined };
    return at(input('LeadCreated', data as never, leadId, id), time);
  }
  if (s.kind === 'availability') return at(input('RepAvailabilityChanged', { actor: null, repId: repId(s.rep), status: s.available ? 'available' : 'unavailable' }, null, id), time);
  if (s.kind === 'reinstate') return at(input('RepReinstated', { actor: null, repId: repId(s.rep), managerId: 'mgr-emea' }, null, id), time);
  if (leads.length === 0) return null;
  const leadId = leads[s.lead % leads.length];
  switch (s.kind) {
    case 'touch': {
      // Half the touches by the current owner (an owned touch frees capacity), the others by anyone.
      const owner = state.leads.get(leadId)?.ownerRepId ?? null;
      const by = s.rep % 2 === 0 && owner !== null ? owner : repId(s.rep);
      return at(input('LeadTouched', { repId: by, channel: 'phone', direction: 'outbound', personal: true, automated: false }, leadId, id), time);
    }
    case 'breach': {
      const owner = state.leads.get(leadId)?.ownerRepId ?? null;
      const ownerRepId = s.rep % 2 === 0 && owner !== null ? owner : repId(s.rep);
      return at(input('SlaBreached', { clockId: `k-${i}`, clock: s.clock, tier: 'standard', ownerRepId, teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1' }, leadId, id), time);
    }
    case 'recycle':
      return at(input('LeadRecycled', { previousRepId: null, code: 'nurture', reason: 'later', nurtureTrack: 'nurture', trigger: 'time', requalifyAt: time, policyVersion: 'p' }, leadId, id), time);
    case 'requalify':
      return at(input('LeadRequalified', { trigger: 'signal', nurtureTrack: 'nurture', signalEventId: null, policyVersion: 'test-1' }, leadId, id), time);
    case 'consent':
      return at(input('ConsentWithdrawn', { channel: 'email', source: 'unsubscribe' } as never, leadId, id), time);
    default:
      throw new Error(`routing.evolve.spec: unknown step ${JSON.stringify(s)}`);
  }
}

/** A lead's events go to its partition, a rep's facts (availability, reinstatement, rotation) to `rep:<id>`. */
function partitionOf(e: LeadEvent): string {
  if (e.leadId !== null) return `lead:${e.leadId}`;
  const data = e.data as { repId?: string };
  if (data.repId === undefined) throw new Error(`routing.evolve.spec: ${e.type} has neither a lead nor a rep`);
  return `rep:${data.repId}`;
}

interface History {
  readonly live: RoutingState;
  /** Every fact and decision in the order routing folded them live. */
  readonly log: readonly LeadEvent[];
}

/** Routing live: each input decided and folded (with its decisions) in turn, a second apart. */
function liveHistory(steps: readonly Step[]): History {
  const leads: string[] = [];
  const log: LeadEvent[] = [];
  let state = routingState();
  steps.forEach((s, i) => {
    const time = new Date(Date.parse(NOW) + i * 1000).toISOString();
    const e = inputOf(s, i, leads, state, time);
    if (e === null) return;
    const done = decideAndEvolve(routingDecider, state, e, envAt(time), new Date(time));
    state = done.state;
    log.push(e, ...done.emitted);
  });
  return { live: state, log };
}

/** The log's partitions merged in the order `picks` chooses (each partition's own order kept). */
function interleave(log: readonly LeadEvent[], picks: readonly number[]): LeadEvent[] {
  const queues = new Map<string, LeadEvent[]>();
  for (const e of log) queues.set(partitionOf(e), [...(queues.get(partitionOf(e)) ?? []), e]);
  const out: LeadEvent[] = [];
  let k = 0;
  while (queues.size > 0) {
    const keys = [...queues.keys()];
    const key = keys[(picks[k++ % Math.max(picks.length, 1)] ?? 0) % keys.length];
    const q = queues.get(key)!;
    out.push(q.shift()!);
    if (q.length === 0) queues.delete(key);
  }
  return out;
}

/** A rebuild: every event through evolve only, each in the environment of its own time. */
function fold(events: readonly LeadEvent[]): RoutingState {
  return events.reduce((s, e) => evolveRouting(s, e, envAt(e.occurredAt)), routingState());
}

/** What routing persists, in a stable order (`folding` is not persisted). */
function persisted(s: RoutingState) {
  const sorted = <V>(m: ReadonlyMap<string, V>) => [...m].sort(([a], [b]) => a.localeCompare(b));
  return { reps: sorted(s.reps), pools: sorted(s.pools), owners: sorted(s.learnedAccountOwners), leads: sorted(s.leads), logs: sorted(s.logs), queue: sorted(s.queue), suppressed: sorted(s.suppressedContacts) };
}

describe('routing evolve: the same events in any partition interleaving give the same state', () => {
  it('folds a generated history (facts and the decisions made live) to the live state in every interleaving', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (steps, picks) => {
        const { live, log } = liveHistory(steps);
        expect(persisted(fold(log))).toEqual(persisted(live));
        expect(persisted(fold(interleave(log, picks)))).toEqual(persisted(live));
      }),
      { numRuns: 200 },
    );
  });
});

describe('routing evolve: fields fed by several partitions', () => {
  const created = (leadId: string, domain: string | null = null) =>
    input('LeadCreated', { source: 'web', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: `${leadId}@c.test` }, channels: ['email'], accountDomain: domain ?? undefined } as never, leadId, `created-${leadId}`);
  const assigned = (leadId: string, repId: string, time: string, reason: 'rule' | 'account_owner' = 'rule') =>
    ({
      type: 'LeadAssigned', version: 1, eventId: `assigned-${leadId}`, occurredAt: time, recordedAt: time, leadId, correlationId: 'c', causationId: `created-${leadId}`,
      data: { repId, teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason, reassignment: false, previousRepId: null, reassignmentCause: null, skipped: [], managerId: 'mgr-emea', policyVersion: 'test-1' },
    }) as LeadEvent;
  const rotation = (repId: string, inRotation: boolean, time: string, misses: { leadId: string; clock: string; breachedAt: string }[] = []) =>
    ({
      type: 'RepRotationChanged', version: 1, eventId: `rotation-${repId}-${time}`, occurredAt: time, recordedAt: time, leadId: null, correlationId: 'c', causationId: 'x',
      data: { repId, inRotation, cause: inRotation ? 'manager_reinstated' : 'sla_misses', misses, by: inRotation ? 'mgr-emea' : null, policyVersion: 'test-1' },
    }) as LeadEvent;
  const breach = (leadId: string, repId: string, time: string) =>
    ({ ...input('SlaBreached', { clockId: 'k', clock: 'first_touch', tier: 'standard', ownerRepId: repId, teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1' }, leadId, `breach-${leadId}`), occurredAt: time, recordedAt: time }) as LeadEvent;
  const foldAll = (s: RoutingState, events: LeadEvent[]) => events.reduce((x, e) => evolveRouting(x, e, envAt(e.occurredAt)), s);

  it('keeps the pool pointer of the latest round-robin pick when an earlier one is folded after it', () => {
    const s = foldAll(routingState(), [created('l1'), created('l2')]);
    const later = assigned('l2', 'cai', minutesAfter(NOW, 5));
    const earlier = assigned('l1', 'ben', NOW);
    const after = foldAll(s, [later, earlier]);
    expect(after.pools.get('emea')).toEqual({ poolId: 'emea', lastAssignedRepId: 'cai', lastAssigned: { at: minutesAfter(NOW, 5), eventId: 'assigned-l2', causeId: 'created-l2' } });
    expect(persisted(after)).toEqual(persisted(foldAll(s, [earlier, later])));
  });

  it('does not move the pointer for a direct owner', () => {
    const s = foldAll(routingState({ pools: [pool('emea', 'ava')] }), [created('l1')]);
    expect(foldAll(s, [assigned('l1', 'cai', NOW, 'account_owner')]).pools.get('emea')).toEqual(pool('emea', 'ava'));
  });

  it('learns the earliest round-robin owner of a company, whichever is folded first', () => {
    const s = foldAll(routingState(), [created('l1', 'acme.test'), created('l2', 'acme.test')]);
    const first = assigned('l1', 'ben', NOW);
    const second = assigned('l2', 'cai', minutesAfter(NOW, 1));
    const a = foldAll(s, [second, first]);
    expect(a.learnedAccountOwners.get('acme.test')).toMatchObject({ repId: 'ben', at: NOW });
    expect(persisted(a)).toEqual(persisted(foldAll(s, [first, second])));
  });

  it('adds no miss for a breach folded after the reinstatement that cleared it', () => {
    const s = foldAll(routingState({ leads: [ownedLead('emea', ['ava'], { leadId: 'l1' })], reps: [rep('ava', { inRotation: false })] }), []);
    const reinstated = rotation('ava', true, NOW);
    const after = foldAll(s, [reinstated, breach('l1', 'ava', minutesBefore(NOW, 1))]);
    expect(after.reps.get('ava')).toMatchObject({ inRotation: true, misses: [], missesClearedAt: NOW });
    expect(foldAll(after, [breach('l2', 'ava', minutesAfter(NOW, 1))]).reps.get('ava')?.misses).toEqual([{ leadId: 'l2', clock: 'first_touch', breachedAt: minutesAfter(NOW, 1) }]);
  });

  it('unions the misses of an out-of-rotation decision with misses folded before or after it', () => {
    const m1 = { leadId: 'l1', clock: 'first_touch', breachedAt: minutesBefore(NOW, 2) };
    const m2 = { leadId: 'l2', clock: 'first_touch', breachedAt: minutesBefore(NOW, 1) };
    const out = rotation('ava', false, NOW, [m1, m2]);
    const s = routingState({ leads: [ownedLead('emea', ['ava'], { leadId: 'l1' }), ownedLead('emea', ['ava'], { leadId: 'l2' })] });
    const a = foldAll(s, [breach('l1', 'ava', m1.breachedAt), out, breach('l2', 'ava', m2.breachedAt)]);
    const b = foldAll(s, [out, breach('l2', 'ava', m2.breachedAt), breach('l1', 'ava', m1.breachedAt)]);
    expect(a.reps.get('ava')).toMatchObject({ inRotation: false, misses: [m1, m2] });
    expect(persisted(a)).toEqual(persisted(b));
  });

  it('prunes misses against the newest one kept, never against the fold time', () => {
    const old = breach('l1', 'ava', minutesBefore(NOW, 2 * 24 * 60));
    const recent = breach('l2', 'ava', NOW);
    const a = foldAll(routingState(), [old, recent]);
    const b = foldAll(routingState(), [recent, old]);
    expect(a.reps.get('ava')?.misses).toEqual([{ leadId: 'l2', clock: 'first_touch', breachedAt: NOW }]);
    expect(b.reps.get('ava')).toEqual(a.reps.get('ava'));
  });

  it('counts open leads as plain sums (no clamp), so a release folded before another lead\'s assignment gives the same count', () => {
    const s = foldAll(routingState(), [created('l1'), created('l2')]);
    const touched = input('LeadTouched', { repId: 'ben', channel: 'phone', direction: 'outbound', personal: true, automated: false }, 'l1', 'touch-l1');
    const a = foldAll(s, [assigned('l1', 'ben', NOW), touched, assigned('l2', 'ben', minutesAfter(NOW, 1))]);
    const b = foldAll(s, [assigned('l2', 'ben', minutesAfter(NOW, 1)), assigned('l1', 'ben', NOW), touched]);
    expect(a.reps.get('ben')?.openAwaitingFirstTouch).toBe(1);
    expect(persisted(a)).toEqual(persisted(b));
  });

  it('folds a logged LeadAssigned for a lead whose LeadCreated was folded without a decision, and logs it from the event alone', () => {
    const after = foldAll(routingState(), [created('l1'), assigned('l1', 'ben', NOW)]);
    expect(after.leads.get('l1')).toMatchObject({ ownerRepId: 'ben', ownerHistory: [{ repId: 'ben', assignedAt: NOW, reason: 'rule' }] });
    expect(after.logs.get('l1')).toEqual([{ kind: 'LeadAssigned', eventId: 'assigned-l1', causeEventId: 'created-l1', decidedAt: NOW, data: expect.objectContaining({ repId: 'ben' }) }]);
    expect(after.reps.get('ben')?.openAwaitingFirstTouch).toBe(1);
  });
});
