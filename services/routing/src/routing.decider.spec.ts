import type { QueuedLead } from './domain/routing-state.types';
import { someoneCanTakeLeads } from './unassigned-queue/unassigned-queue.decider';
import { NOW, env, lead, minutesBefore, offShift, onShiftOnly, ownedLead, rep, routingState, view, pool } from './testing/routing.fixture';
import { given, input } from './testing/routing.harness';

const math = { startedAt: NOW, coverageStart: NOW, coverageMinutes: 10, deadline: NOW, calendarId: 'always', timeZone: 'UTC' };
const breach = (clock: 'first_touch' | 'second_touch' | 'response' | 'reply_escalation' | 'assign', ownerRepId = 'ava', leadId = 'lead-1') =>
  input('SlaBreached', { clockId: 'k1', clock, tier: 'standard', ownerRepId, teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1' }, leadId, `SlaBreached-${leadId}-${clock}`);

/** What the timer publishes for a missed first touch under the default ladder (reassign at once). */
const firstTouchMissed = (ownerRepId = 'ava', leadId = 'lead-1') => [
  breach('first_touch', ownerRepId, leadId),
  input('SlaEscalated', { clockId: 'k1', clock: 'first_touch', tier: 'standard', ownerRepId, teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1', step: 1, action: 'reassign', lastStep: true }, leadId, `SlaEscalated-${leadId}-first_touch-1`),
];

const waiting = lead({ leadId: 'waiting', poolId: 'solo', ruleId: 'partners' });
const queuedSolo: QueuedLead = { leadId: 'waiting', queuedAt: minutesBefore(NOW, 20), excludeRepIds: [], reassignmentCause: null };

describe('routing decider: dispatch by event type', () => {
  it('assigns a new lead on LeadCreated', () => {
    const created = input('LeadCreated', {
      source: 'web',
      segment: 'smb',
      territory: 'latam',
      intentTier: 'warm',
      vip: false,
      contact: { contactKey: 'jo@acme.test' },
      channels: ['email'],
      accountDomain: 'ACME.test',
    });
    const { emitted, changes } = given(routingState()).when(created);
    expect(emitted).toEqual([expect.objectContaining({ type: 'LeadAssigned', leadId: 'lead-1', data: expect.objectContaining({ repId: 'dev', ruleId: 'amer' }) })]);
    expect(changes.leads[0]).toMatchObject({ accountDomain: 'acme.test', createdAt: NOW, awaitingFirstTouch: true });
  });

  it('does not route a redelivered LeadCreated again', () => {
    const created = input('LeadCreated', { source: 'web', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'k' }, channels: ['email'] });
    expect(given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(created).emitted).toEqual([]);
  });

  it("records a first-touch breach as the owner's miss and leaves the lead where it is: the clock's ladder decides", () => {
    const { emitted, changes } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(breach('first_touch'));
    expect(emitted).toEqual([]);
    expect(changes.reps).toEqual(expect.arrayContaining([expect.objectContaining({ repId: 'ava', misses: [{ leadId: 'lead-1', clock: 'first_touch', breachedAt: NOW }] })]));
  });

  it("reassigns on the first-touch ladder's reassign step (the default ladder: at once)", () => {
    const { emitted } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(...firstTouchMissed());
    expect(emitted.map((e) => e.type)).toEqual(['LeadAssigned']);
    expect(emitted[0]).toMatchObject({ data: { reason: 'reassignment', reassignment: true, previousRepId: 'ava', reassignmentCause: 'first_touch SLA escalation step 1: reassign' } });
  });

  it('takes the owner out of rotation at the second miss, and the ladder step then moves the lead', () => {
    const earlier = { leadId: 'lead-0', clock: 'first_touch', breachedAt: minutesBefore(NOW, 60) };
    const { emitted, state } = given(routingState({ leads: [ownedLead('emea', ['ava'])], reps: [rep('ava', { misses: [earlier] })] })).when(...firstTouchMissed());
    expect(emitted.map((e) => e.type)).toEqual(['RepRotationChanged', 'LeadAssigned']);
    expect(state.reps.get('ava')).toMatchObject({ inRotation: false });
  });

  it('only records the miss for a breach of another clock the rep controls', () => {
    const { emitted, changes } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(breach('second_touch'));
    expect(emitted).toEqual([]);
    expect(changes.reps[0].misses).toHaveLength(1);
  });

  it.each(['response', 'reply_escalation', 'assign'] as const)('does not count a %s breach as the rep\'s miss (lead-lifecycle rule)', (clock) => {
    const earlier = { leadId: 'lead-0', clock: 'first_touch', breachedAt: minutesBefore(NOW, 60) };
    const { emitted, changes } = given(routingState({ leads: [ownedLead('emea', ['ava'])], reps: [rep('ava', { misses: [earlier] })] })).when(breach(clock));
    expect(emitted).toEqual([]);
    expect(changes.reps).toEqual([]);
  });

  it('reassigns on an escalation step whose action is reassign, and ignores the other steps', () => {
    const step = (action: 'reassign' | 'remind_owner') =>
      input('SlaEscalated', { clockId: 'k2', clock: 'accept_reject', tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1', step: 3, action, lastStep: true });
    const s = routingState({ leads: [ownedLead('emea', ['ava'], { awaitingFirstTouch: false })] });
    expect(given(s).when(step('reassign')).emitted[0]).toMatchObject({ data: { reassignmentCause: 'accept_reject SLA escalation step 3: reassign' } });
    expect(given(s).when(step('remind_owner')).emitted).toEqual([]);
  });

  it('never reassigns a lead in data cleanup to a sales pool, whatever its clock\'s escalation step says', () => {
    const cleanupStep = input('SlaEscalated', { clockId: 'k3', clock: 'data_cleanup', tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1', step: 1, action: 'reassign', lastStep: true });
    const s = routingState({ leads: [ownedLead('emea', ['ava'], { awaitingFirstTouch: false })] });
    expect(given(s).when(cleanupStep).emitted).toEqual([]);
  });

  it('frees capacity on the first owned touch and hands the freed slot to the queue', () => {
    const touch = input('LeadTouched', { repId: 'sam', channel: 'phone', direction: 'outbound', personal: true, automated: false });
    const s = routingState({ leads: [ownedLead('solo', ['sam']), waiting], reps: [rep('sam', { openAwaitingFirstTouch: 2 })], queue: [queuedSolo] });
    const { changes, state } = given(s).when(touch);
    expect(changes.capacity).toEqual([
      { repId: 'sam', leadId: 'lead-1', delta: -1 },
      { repId: 'sam', leadId: 'waiting', delta: 1 },
    ]);
    expect(changes.queueRemoved).toEqual(['waiting']);
    expect(state.reps.get('sam')?.openAwaitingFirstTouch).toBe(2);
  });

  it('does not count an automated touch as the first owned touch', () => {
    const touch = input('LeadTouched', { repId: 'sam', channel: 'email', direction: 'outbound', personal: false, automated: true });
    expect(given(routingState({ leads: [ownedLead('solo', ['sam'])] })).when(touch).changes.capacity).toEqual([]);
  });

  it('drains the queue when a rep becomes available', () => {
    const back = input('RepAvailabilityChanged', { actor: null, repId: 'sam', status: 'available' }, null);
    const { emitted, changes } = given(routingState({ reps: [rep('sam', { available: false })], leads: [waiting], queue: [queuedSolo] })).when(back);
    expect(changes.reps).toEqual([expect.objectContaining({ repId: 'sam', available: true })]);
    expect(emitted).toEqual([expect.objectContaining({ type: 'LeadAssigned', leadId: 'waiting', data: expect.objectContaining({ repId: 'sam', reason: 'queue_drain' }) })]);
  });

  it('drains the queue when a manager reinstates a rep', () => {
    const reinstated = input('RepReinstated', { actor: null, repId: 'sam', managerId: 'mgr-night' }, null);
    const { emitted } = given(routingState({ reps: [rep('sam', { inRotation: false })], leads: [waiting], queue: [queuedSolo] })).when(reinstated);
    expect(emitted.map((e) => e.type)).toEqual(['RepRotationChanged', 'LeadAssigned']);
  });

  it('leaves the queue alone when the change frees nobody', () => {
    const away = input('RepAvailabilityChanged', { actor: null, repId: 'ava', status: 'unavailable' }, null);
    expect(given(routingState({ leads: [waiting], queue: [queuedSolo] }), env(onShiftOnly(offShift('sam')))).when(away).emitted).toEqual([]);
  });

  it('sends bounced leads to data cleanup and fixed ones back', () => {
    const bounced = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(input('ContactBounced', { channel: 'email' }));
    expect(bounced.emitted[0]).toMatchObject({ data: { repId: 'data-desk', reason: 'data_cleanup' } });
    const fixed = given(bounced.state).when(input('ContactFixed', { channel: 'email' }));
    expect(fixed.emitted[0]).toMatchObject({ data: { repId: 'ava', reason: 'data_fixed' } });
  });

  it('routes a requalified lead afresh, counting it against the new owner', () => {
    const requalified = input('LeadRequalified', { trigger: 'signal', nurtureTrack: 'nurture', signalEventId: null, policyVersion: 'test-1' });
    const s = routingState({ leads: [ownedLead('emea', ['ava'], { awaitingFirstTouch: false })], pools: [pool('emea', 'ava')] });
    const { emitted, changes } = given(s).when(requalified);
    expect(emitted[0]).toMatchObject({ data: { repId: 'ben', reason: 'requalified', reassignment: false, previousRepId: 'ava' } });
    expect(changes.capacity).toEqual([{ repId: 'ben', leadId: 'lead-1', delta: 1 }]);
  });

  it('derives the emitted ids from the input and each emission\'s place, so a re-run publishes the same events', () => {
    const reinstated = input('RepReinstated', { actor: null, repId: 'sam', managerId: 'mgr-night' }, null);
    const s = routingState({ reps: [rep('sam', { inRotation: false })], leads: [waiting], queue: [queuedSolo] });
    const once = given(s).when(reinstated).emitted.map((e) => e.eventId);
    expect(given(s).when(reinstated).emitted.map((e) => e.eventId)).toEqual(once);
    expect(new Set(once).size).toBe(2);
  });

  it('logs each decision for the why endpoint, naming the input that caused it', () => {
    const created = input('LeadCreated', { source: 'web', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'k' }, channels: ['email'] });
    const { emitted, state } = given(routingState()).when(created);
    expect(state.logs.get('lead-1')).toEqual([
      { kind: 'LeadAssigned', eventId: emitted[0].eventId, causeEventId: created.eventId, decidedAt: NOW, data: emitted[0].data },
    ]);
  });
});

describe('routing decider: nobody free', () => {
  it('knows when no rep anywhere can take a lead, so the queue is not searched', () => {
    const everyoneAway = env(onShiftOnly(offShift('ava', 'ben', 'cai', 'dev', 'eli', 'fay', 'gus', 'sam', 'data-desk')));
    expect(someoneCanTakeLeads(view(), everyoneAway)).toBe(false);
    expect(someoneCanTakeLeads(view(), env())).toBe(true);
  });
});
