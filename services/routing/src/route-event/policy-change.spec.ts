import type { Policy } from '@lead-sla/policy';
import type { QueuedLead } from '../domain/routing-state.types';
import { NOW, env, lead, minutesBefore, ownedLead, rep, routingState, testPolicy } from '../testing/routing.fixture';
import { given, input } from '../testing/routing.harness';

/** The fixture policy as a reload that dropped the pool "solo" (and its rule) would leave it. */
function withoutSoloPool(): Policy {
  const p = testPolicy();
  return { ...p, version: 'test-2', pools: p.pools.filter((x) => x.id !== 'solo'), routing: { ...p.routing, rules: p.routing.rules.filter((r) => r.pool !== 'solo') } };
}

/** The fixture policy as a reload that dropped the rep "ava" (from the reps and every pool) would leave it. */
function withoutAva(): Policy {
  const p = testPolicy();
  return { ...p, version: 'test-2', reps: p.reps.filter((r) => r.id !== 'ava'), pools: p.pools.map((x) => ({ ...x, reps: x.reps.filter((r) => r !== 'ava') })) };
}

const summary = (e: { type: string; leadId: string | null; data: unknown }) => {
  const d = e.data as { repId?: string; poolId?: string; reason?: string };
  return [e.type, e.leadId, d.repId ?? null, d.poolId ?? null, d.reason ?? null];
};
const waiting = lead({ leadId: 'waiting', poolId: 'solo', ruleId: 'partners' });
const queuedSolo: QueuedLead = { leadId: 'waiting', queuedAt: minutesBefore(NOW, 20), excludeRepIds: [], reassignmentCause: null };
const math = { startedAt: NOW, coverageStart: NOW, coverageMinutes: 10, deadline: NOW, calendarId: 'always', timeZone: 'UTC' };

describe('a policy version that no longer describes routing state never halts the stream', () => {
  it('drains a lead queued for a dropped pool into the routing default pool', () => {
    const back = input('RepAvailabilityChanged', { actor: null, repId: 'ben', status: 'available' }, null);
    const { emitted } = given(routingState({ leads: [waiting], queue: [queuedSolo] }), env({ policy: withoutSoloPool() })).when(back);
    expect(emitted.map(summary)).toEqual([['LeadAssigned', 'waiting', 'ava', 'emea', 'queue_drain']]);
  });

  it('keeps assigning other leads: a new lead arriving while such a lead waits is decided too (after it)', () => {
    const created = input('LeadCreated', { source: 'web', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'k@x.test' }, channels: ['email'] }, 'new');
    const { emitted } = given(routingState({ leads: [waiting], queue: [queuedSolo] }), env({ policy: withoutSoloPool() })).when(created);
    expect(emitted.map(summary)).toEqual([
      ['LeadAssigned', 'waiting', 'ava', 'emea', 'queue_drain'],
      ['LeadAssigned', 'new', 'ben', 'emea', 'rule'],
    ]);
  });

  it('reassigns an owned lead of a dropped pool from the default pool on an SLA fallback', () => {
    const fallback = input('SlaEscalated', { clockId: 'k1', clock: 'first_touch', tier: 'standard', ownerRepId: 'sam', teamId: 'night-shift', managerId: 'mgr-night', math, policyVersion: 'test-1', step: 1, action: 'reassign', lastStep: true });
    const { emitted } = given(routingState({ leads: [ownedLead('solo', ['sam'])] }), env({ policy: withoutSoloPool() })).when(fallback);
    // The default pool (emea) has a backup (amer): the fallback goes there, as for any emea lead.
    expect(emitted.filter((e) => e.type === 'LeadAssigned').map(summary)).toEqual([['LeadAssigned', 'lead-1', 'dev', 'amer', 'reassignment']]);
  });

  it('gives a dropped rep no new lead and reassigns their open lead on its SLA fallback, like any other owner', () => {
    const created = input('LeadCreated', { source: 'web', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'k@x.test' }, channels: ['email'] }, 'new');
    const s = routingState({ reps: [rep('ava', { openAwaitingFirstTouch: 1 })], leads: [ownedLead('emea', ['ava'])] });
    expect(given(s, env({ policy: withoutAva() })).when(created).emitted.map(summary)).toEqual([['LeadAssigned', 'new', 'ben', 'emea', 'rule']]);
    const fallback = input('SlaEscalated', { clockId: 'k1', clock: 'first_touch', tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1', step: 1, action: 'reassign', lastStep: true });
    const { emitted } = given(s, env({ policy: withoutAva() })).when(fallback);
    expect(emitted.filter((e) => e.type === 'LeadAssigned').map(summary)).toEqual([['LeadAssigned', 'lead-1', 'dev', 'amer', 'reassignment']]);
  });

  it('returns a fixed lead of a dropped pool to round robin in the default pool when its owner is gone', () => {
    const inCleanup = ownedLead('solo', ['ava', 'data-desk']);
    const fixed = input('ContactFixed', { channel: 'email' });
    const { emitted } = given(routingState({ leads: [inCleanup] }), env({ policy: withoutSoloPool() })).when(fixed);
    expect(emitted.map(summary)).toEqual([['LeadAssigned', 'lead-1', 'ava', 'emea', 'data_fixed']]);
    const gone = given(routingState({ leads: [inCleanup] }), env({ policy: { ...withoutAva(), pools: withoutAva().pools.filter((x) => x.id !== 'solo'), routing: withoutSoloPool().routing } })).when(fixed);
    expect(gone.emitted.map(summary)).toEqual([['LeadAssigned', 'lead-1', 'ben', 'emea', 'data_fixed']]);
  });
});
