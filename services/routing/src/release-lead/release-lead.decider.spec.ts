import { decideRouting, type RoutingInputEvent, type RoutingState } from '../routing.decider';
import { NOW, env, lead, ownedLead, rep, view } from '../domain/routing.fixtures';
import type { QueuedLead } from '../domain/routing-state.types';

type EventOf<T extends RoutingInputEvent['type']> = Extract<RoutingInputEvent, { type: T }>;

function event<T extends RoutingInputEvent['type']>(type: T, data: EventOf<T>['data'], leadId: string | null = 'lead-1'): EventOf<T> {
  return { type, version: 1, eventId: `${type}-1`, occurredAt: NOW, recordedAt: NOW, leadId, correlationId: 'c-1', causationId: null, data } as unknown as EventOf<T>;
}

function state(over: Partial<RoutingState> = {}): RoutingState {
  return { ...view(), lead: null, sameContact: [], queue: [], ...over };
}

const created = () =>
  event('LeadCreated', { source: 'web', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'jo@acme.test' }, channels: ['email'] });
const recycled = () =>
  event('LeadRecycled', { previousRepId: 'ava', code: 'nurture', reason: 'later', nurtureTrack: 'nurture', trigger: 'time', requalifyAt: NOW, policyVersion: 'p' });
const requalified = () => event('LeadRequalified', { trigger: 'signal', nurtureTrack: 'nurture', signalEventId: null, policyVersion: 'p' });
const suppressed = () => event('LeadSuppressed', { cause: 'disposition', code: 'do_not_contact', reason: null, policyVersion: 'p' });
const math = { startedAt: NOW, coverageStart: NOW, coverageMinutes: 10, deadline: NOW, calendarId: 'always', timeZone: 'UTC' };
const facts = { clockId: 'k1', clock: 'first_touch' as const, tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'p' };

describe('recycling a lead', () => {
  it('takes the lead from its owner, frees the owner\'s capacity and takes it out of the queue', () => {
    const s = state({ lead: ownedLead('emea', ['ava']), reps: new Map([['ava', rep('ava', { openAwaitingFirstTouch: 1 })]]) });
    const d = decideRouting(recycled(), s, env());
    expect(d.leads[0]).toMatchObject({ ownerRepId: null, released: 'recycled', awaitingFirstTouch: false });
    expect(d.capacity).toEqual([{ repId: 'ava', leadId: 'lead-1', delta: -1 }]);
    expect(d.queue.remove).toEqual(['lead-1']);
    expect(d.emit).toEqual([]);
  });

  it('routes the lead again when it re-qualifies, with reason "requalified" and a new capacity count', () => {
    const back = lead({ poolId: 'emea', ruleId: 'emea', ownerHistory: [{ repId: 'ava', assignedAt: NOW, reason: 'rule' }], awaitingFirstTouch: false, released: 'recycled' });
    const d = decideRouting(requalified(), state({ lead: back, pools: new Map([['emea', { poolId: 'emea', lastAssignedRepId: 'ava' }]]) }), env());
    expect(d.emit[0]).toMatchObject({ type: 'LeadAssigned', data: { repId: 'ben', reason: 'requalified', previousRepId: 'ava' } });
    expect(d.leads[0].released).toBeUndefined();
    expect(d.capacity.filter((c) => c.delta === 1)).toHaveLength(1);
  });

  it('ignores a bounce on a recycled lead: nobody owns it to clean it up for', () => {
    const s = state({ lead: lead({ poolId: 'emea', released: 'recycled' }) });
    expect(decideRouting(event('ContactBounced', { channel: 'email' }), s, env()).emit).toEqual([]);
  });
});

describe('suppressing a contact', () => {
  it('releases the lead and marks its contact suppressed', () => {
    const d = decideRouting(suppressed(), state({ lead: ownedLead('emea', ['ava']) }), env());
    expect(d.suppressContacts).toEqual([{ contactKey: 'jo@acme.test', leadId: 'lead-1', cause: 'disposition do_not_contact' }]);
    expect(d.leads[0]).toMatchObject({ ownerRepId: null, released: 'suppressed' });
    expect(d.capacity).toEqual([{ repId: 'ava', leadId: 'lead-1', delta: -1 }]);
  });

  it('treats ConsentWithdrawn as a suppression too', () => {
    const d = decideRouting(event('ConsentWithdrawn', {}), state({ lead: ownedLead('emea', ['ava']) }), env());
    expect(d.suppressContacts).toEqual([expect.objectContaining({ contactKey: 'jo@acme.test', cause: 'consent withdrawn' })]);
  });

  it('does not route a new lead of a suppressed contact, and says why', () => {
    const d = decideRouting(created(), state({ contactSuppressed: true }), env());
    expect(d.emit).toEqual([]);
    expect(d.leads[0]).toMatchObject({ leadId: 'lead-1', released: 'suppressed', ownerRepId: null });
    expect(d.notes[0].text).toMatch(/LeadCreated not routed: contact "jo@acme.test" is suppressed/);
  });

  it('does not route a re-qualified lead of a suppressed contact', () => {
    const d = decideRouting(requalified(), state({ lead: lead({ poolId: 'emea', released: 'recycled' }), contactSuppressed: true }), env());
    expect(d.emit).toEqual([]);
    expect(d.notes[0].text).toMatch(/LeadRequalified not routed/);
  });

  it('takes a suppressed lead out of the unassigned queue', () => {
    const waiting = lead({ poolId: 'emea' });
    const queued: QueuedLead = { lead: waiting, queuedAt: NOW, excludeRepIds: [], reassignmentCause: null };
    const d = decideRouting(suppressed(), state({ lead: waiting, queue: [queued] }), env());
    expect(d.queue.remove).toEqual(['lead-1']);
    expect(d.emit).toEqual([]);
  });
});

describe('data cleanup requested by a disposition', () => {
  it('moves the lead to the data-cleanup owner like a bounce', () => {
    const d = decideRouting(event('DataCleanupRequested', { channel: 'phone', ownerRepId: 'ava', detail: 'invalid number' }), state({ lead: ownedLead('emea', ['ava']) }), env());
    expect(d.emit[0]).toMatchObject({ type: 'LeadAssigned', data: { repId: 'data-desk', reason: 'data_cleanup', reassignmentCause: 'contact bounced (phone): invalid number' } });
  });
});

describe('a breach and its reassign escalation step', () => {
  it('reassign the lead once: the step about the previous owner is stale after the breach moved the lead', () => {
    const first = decideRouting(event('SlaBreached', facts), state({ lead: ownedLead('emea', ['ava']) }), env());
    expect(first.emit.filter((e) => e.type === 'LeadAssigned')).toHaveLength(1);
    const moved = first.leads[0];
    const step = event('SlaEscalated', { ...facts, step: 1, action: 'reassign', lastStep: true });
    expect(decideRouting(step, state({ lead: moved }), env()).emit).toEqual([]);
  });
});
