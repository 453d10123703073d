import { decideRouting, someoneCanTakeLeads, type RoutingInputEvent, type RoutingState } from './routing.decider';
import type { QueuedLead } from './domain/routing-state.types';
import { NOW, env, lead, minutesBefore, offShift, ownedLead, rep, view } from './domain/routing.fixtures';

type EventOf<T extends RoutingInputEvent['type']> = Extract<RoutingInputEvent, { type: T }>;

function event<T extends RoutingInputEvent['type']>(type: T, data: EventOf<T>['data'], leadId: string | null = 'lead-1'): EventOf<T> {
  // Generic over the union, TypeScript cannot relate T to its envelope member; the signature keeps callers checked.
  return { type, version: 1, eventId: `${type}-1`, occurredAt: NOW, recordedAt: NOW, leadId, correlationId: 'c-1', causationId: null, data } as unknown as EventOf<T>;
}

function state(over: Partial<RoutingState> = {}): RoutingState {
  return { ...view(), lead: null, sameContact: [], queue: [], ...over };
}

const math = { startedAt: NOW, coverageStart: NOW, coverageMinutes: 10, deadline: NOW, calendarId: 'always', timeZone: 'UTC' };
const breach = (clock: 'first_touch' | 'response', ownerRepId = 'ava') =>
  event('SlaBreached', { clockId: 'k1', clock, tier: 'standard', ownerRepId, teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1' });

const queuedSolo: QueuedLead = {
  lead: lead({ leadId: 'waiting', poolId: 'solo', ruleId: 'partners' }),
  queuedAt: minutesBefore(NOW, 20),
  excludeRepIds: [],
  reassignmentCause: null,
};

describe('routing decider: dispatch by event type', () => {
  it('assigns a new lead on LeadCreated', () => {
    const created = event('LeadCreated', {
      source: 'web',
      segment: 'smb',
      territory: 'latam',
      intentTier: 'warm',
      vip: false,
      contact: { contactKey: 'jo@acme.test' },
      channels: ['email'],
      accountDomain: 'ACME.test',
    });
    const d = decideRouting(created, state(), env());
    expect(d.emit).toEqual([expect.objectContaining({ type: 'LeadAssigned', leadId: 'lead-1', data: expect.objectContaining({ repId: 'dev', ruleId: 'amer' }) })]);
    expect(d.leads[0]).toMatchObject({ accountDomain: 'acme.test', createdAt: NOW, awaitingFirstTouch: true });
  });

  it('does not route a redelivered LeadCreated again', () => {
    const created = event('LeadCreated', { source: 'web', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'k' }, channels: ['email'] });
    expect(decideRouting(created, state({ lead: ownedLead('emea', ['ava']) }), env()).emit).toEqual([]);
  });

  it('reassigns on a first-touch breach and records the miss against the owner', () => {
    const d = decideRouting(breach('first_touch'), state({ lead: ownedLead('emea', ['ava']) }), env());
    expect(d.emit.map((e) => e.type)).toEqual(['LeadAssigned']);
    expect(d.emit[0]).toMatchObject({ data: { reason: 'reassignment', reassignment: true, previousRepId: 'ava', reassignmentCause: 'first_touch SLA breached' } });
    expect(d.reps).toEqual([expect.objectContaining({ repId: 'ava', misses: [{ leadId: 'lead-1', clock: 'first_touch', breachedAt: NOW }] })]);
  });

  it('takes the owner out of rotation at the second miss in the same decision as the reassignment', () => {
    const earlier = { leadId: 'lead-0', clock: 'first_touch', breachedAt: minutesBefore(NOW, 60) };
    const d = decideRouting(breach('first_touch'), state({ lead: ownedLead('emea', ['ava']), reps: new Map([['ava', rep('ava', { misses: [earlier] })]]) }), env());
    expect(d.emit.map((e) => e.type)).toEqual(['LeadAssigned', 'RepRotationChanged']);
  });

  it('only records the miss for a breach of another clock', () => {
    const d = decideRouting(breach('response'), state({ lead: ownedLead('emea', ['ava']) }), env());
    expect(d.emit).toEqual([]);
    expect(d.reps[0].misses).toHaveLength(1);
  });

  it('reassigns on an escalation step whose action is reassign, and ignores the other steps', () => {
    const step = (action: 'reassign' | 'remind_owner') =>
      event('SlaEscalated', { clockId: 'k2', clock: 'accept_reject', tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1', step: 3, action, lastStep: true });
    const s = state({ lead: ownedLead('emea', ['ava'], { awaitingFirstTouch: false }) });
    expect(decideRouting(step('reassign'), s, env()).emit[0]).toMatchObject({ data: { reassignmentCause: 'accept_reject SLA escalation step 3: reassign' } });
    expect(decideRouting(step('remind_owner'), s, env()).emit).toEqual([]);
  });

  it('frees capacity on the first owned touch and hands the freed slot to the queue', () => {
    const touch = event('LeadTouched', { repId: 'sam', channel: 'phone', direction: 'outbound', personal: true, automated: false });
    const s = state({ lead: ownedLead('solo', ['sam']), reps: new Map([['sam', rep('sam', { openAwaitingFirstTouch: 2 })]]), queue: [queuedSolo] });
    const d = decideRouting(touch, s, env());
    expect(d.capacity).toEqual([
      { repId: 'sam', leadId: 'lead-1', delta: -1 },
      { repId: 'sam', leadId: 'waiting', delta: 1 },
    ]);
    expect(d.queue.remove).toEqual(['waiting']);
  });

  it('does not count an automated touch as the first owned touch', () => {
    const touch = event('LeadTouched', { repId: 'sam', channel: 'email', direction: 'outbound', personal: false, automated: true });
    expect(decideRouting(touch, state({ lead: ownedLead('solo', ['sam']) }), env()).capacity).toEqual([]);
  });

  it('drains the queue when a rep becomes available', () => {
    const back = event('RepAvailabilityChanged', { repId: 'sam', status: 'available' }, null);
    const d = decideRouting(back, state({ reps: new Map([['sam', rep('sam', { available: false })]]), queue: [queuedSolo] }), env());
    expect(d.reps).toEqual([expect.objectContaining({ repId: 'sam', available: true })]);
    expect(d.emit).toEqual([expect.objectContaining({ type: 'LeadAssigned', leadId: 'waiting', data: expect.objectContaining({ repId: 'sam', reason: 'queue_drain' }) })]);
  });

  it('drains the queue when a manager reinstates a rep', () => {
    const reinstated = event('RepReinstated', { repId: 'sam', managerId: 'mgr-night' }, null);
    const d = decideRouting(reinstated, state({ reps: new Map([['sam', rep('sam', { inRotation: false })]]), queue: [queuedSolo] }), env());
    expect(d.emit.map((e) => e.type)).toEqual(['RepRotationChanged', 'LeadAssigned']);
  });

  it('leaves the queue alone when the change frees nobody', () => {
    const away = event('RepAvailabilityChanged', { repId: 'ava', status: 'unavailable' }, null);
    expect(decideRouting(away, state({ queue: [queuedSolo] }), env({ isOnShift: offShift('sam') })).emit).toEqual([]);
  });

  it('sends bounced leads to data cleanup and fixed ones back', () => {
    const bounced = decideRouting(event('ContactBounced', { channel: 'email' }), state({ lead: ownedLead('emea', ['ava']) }), env());
    expect(bounced.emit[0]).toMatchObject({ data: { repId: 'data-desk', reason: 'data_cleanup' } });
    const fixed = decideRouting(event('ContactFixed', { channel: 'email' }), state({ lead: bounced.leads[0] }), env());
    expect(fixed.emit[0]).toMatchObject({ data: { repId: 'ava', reason: 'data_fixed' } });
  });

  it('routes a requalified lead afresh, counting it against the new owner', () => {
    const requalified = event('LeadRequalified', { trigger: 'signal', nurtureTrack: 'nurture', signalEventId: null, policyVersion: 'test-1' });
    const s = state({ lead: ownedLead('emea', ['ava'], { awaitingFirstTouch: false }), pools: new Map([['emea', { poolId: 'emea', lastAssignedRepId: 'ava' }]]) });
    const d = decideRouting(requalified, s, env());
    expect(d.emit[0]).toMatchObject({ data: { repId: 'ben', reason: 'requalified', reassignment: false, previousRepId: 'ava' } });
    expect(d.capacity).toEqual([{ repId: 'ben', leadId: 'lead-1', delta: 1 }]);
  });
});

describe('routing decider: nobody free', () => {
  it('knows when no rep anywhere can take a lead, so the queue is not searched', () => {
    const everyoneAway = env({ isOnShift: offShift('ava', 'ben', 'cai', 'dev', 'eli', 'fay', 'gus', 'sam', 'data-desk') });
    expect(someoneCanTakeLeads(view(), everyoneAway)).toBe(false);
    expect(someoneCanTakeLeads(view(), env())).toBe(true);
  });
});
