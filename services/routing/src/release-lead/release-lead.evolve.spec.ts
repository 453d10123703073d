import type { QueuedLead } from '../domain/routing-state.types';
import { NOW, lead, ownedLead, rep, routingState, pool } from '../testing/routing.fixture';
import { given, input } from '../testing/routing.harness';

const created = () =>
  input('LeadCreated', { source: 'web', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'jo@acme.test' }, channels: ['email'] });
const recycled = () =>
  input('LeadRecycled', { previousRepId: 'ava', code: 'nurture', reason: 'later', nurtureTrack: 'nurture', trigger: 'time', requalifyAt: NOW, policyVersion: 'p' });
const requalified = () => input('LeadRequalified', { trigger: 'signal', nurtureTrack: 'nurture', signalEventId: null, policyVersion: 'p' });
const suppressed = () => input('LeadSuppressed', { cause: 'disposition', code: 'do_not_contact', reason: null, policyVersion: 'p' });
const math = { startedAt: NOW, coverageStart: NOW, coverageMinutes: 10, deadline: NOW, calendarId: 'always', timeZone: 'UTC' };
const facts = { clockId: 'k1', clock: 'first_touch' as const, tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'p' };

describe('recycling a lead', () => {
  it('takes the lead from its owner, frees the owner\'s capacity and takes it out of the queue', () => {
    const owned = ownedLead('emea', ['ava']);
    const s = routingState({ leads: [owned], reps: [rep('ava', { openAwaitingFirstTouch: 1 })], queue: [{ leadId: 'lead-1', queuedAt: NOW, excludeRepIds: [], reassignmentCause: null }] });
    const { emitted, changes, state } = given(s).when(recycled());
    expect(changes.leads[0]).toMatchObject({ ownerRepId: null, released: 'recycled', awaitingFirstTouch: false });
    expect(changes.capacity).toEqual([{ repId: 'ava', leadId: 'lead-1', delta: -1 }]);
    expect(state.reps.get('ava')?.openAwaitingFirstTouch).toBe(0);
    expect(changes.queueRemoved).toEqual(['lead-1']);
    expect(emitted).toEqual([]);
  });

  it('routes the lead again when it re-qualifies, with reason "requalified" and a new capacity count', () => {
    const back = lead({ poolId: 'emea', ruleId: 'emea', ownerHistory: [{ repId: 'ava', assignedAt: NOW, reason: 'rule' }], awaitingFirstTouch: false, released: 'recycled' });
    const { emitted, changes } = given(routingState({ leads: [back], pools: [pool('emea', 'ava')] })).when(requalified());
    expect(emitted[0]).toMatchObject({ type: 'LeadAssigned', data: { repId: 'ben', reason: 'requalified', previousRepId: 'ava' } });
    expect(changes.leads[0].released).toBeUndefined();
    expect(changes.capacity.filter((c) => c.delta === 1)).toHaveLength(1);
  });

  it('ignores a bounce on a recycled lead: nobody owns it to clean it up for', () => {
    const s = routingState({ leads: [lead({ poolId: 'emea', released: 'recycled' })] });
    expect(given(s).when(input('ContactBounced', { channel: 'email' })).emitted).toEqual([]);
  });
});

describe('suppressing a contact', () => {
  it('releases the lead and marks its contact suppressed', () => {
    const { changes } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(suppressed());
    expect(changes.suppressContacts).toEqual([{ contactKey: 'jo@acme.test', leadId: 'lead-1', cause: 'disposition do_not_contact' }]);
    expect(changes.leads[0]).toMatchObject({ ownerRepId: null, released: 'suppressed' });
    // The why endpoint reads the notes back: they never carry the contact key.
    expect(changes.notes).toEqual(["suppressed (disposition do_not_contact): the lead's contact is never routed again"]);
    expect(changes.capacity).toEqual([{ repId: 'ava', leadId: 'lead-1', delta: -1 }]);
  });

  it('treats ConsentWithdrawn as a suppression too', () => {
    const { changes } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(input('ConsentWithdrawn', {}));
    expect(changes.suppressContacts).toEqual([expect.objectContaining({ contactKey: 'jo@acme.test', cause: 'consent withdrawn' })]);
  });

  it('does not route a new lead of a suppressed contact, and says why', () => {
    const { emitted, changes } = given(routingState({ suppressedContacts: { 'jo@acme.test': { leadId: 'lead-0', cause: 'consent withdrawn' } } })).when(created());
    expect(emitted).toEqual([]);
    expect(changes.leads[0]).toMatchObject({ leadId: 'lead-1', released: 'suppressed', ownerRepId: null });
    expect(changes.notes[0]).toBe('LeadCreated not routed: its contact is suppressed since lead lead-0 (consent withdrawn) (do not contact / consent withdrawn)');
  });

  it('does not route a re-qualified lead of a suppressed contact', () => {
    const s = routingState({ leads: [lead({ poolId: 'emea', released: 'recycled' })], suppressedContacts: { 'jo@acme.test': { leadId: 'lead-0', cause: 'consent withdrawn' } } });
    const { emitted, changes } = given(s).when(requalified());
    expect(emitted).toEqual([]);
    expect(changes.notes[0]).toMatch(/LeadRequalified not routed/);
  });

  it('takes a suppressed lead out of the unassigned queue', () => {
    const waiting = lead({ poolId: 'emea' });
    const queued: QueuedLead = { leadId: 'lead-1', queuedAt: NOW, excludeRepIds: [], reassignmentCause: null };
    const { emitted, changes } = given(routingState({ leads: [waiting], queue: [queued] })).when(suppressed());
    expect(changes.queueRemoved).toEqual(['lead-1']);
    expect(emitted).toEqual([]);
  });
});

describe('data cleanup requested by a disposition', () => {
  it('moves the lead to the data-cleanup owner like a bounce', () => {
    const { emitted } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(input('DataCleanupRequested', { channel: 'phone', ownerRepId: 'ava', detail: 'invalid number' }));
    expect(emitted[0]).toMatchObject({ type: 'LeadAssigned', data: { repId: 'data-desk', reason: 'data_cleanup', reassignmentCause: 'contact bounced (phone): invalid number' } });
  });
});

describe('a breach and its reassign escalation step', () => {
  it('reassign the lead once, by the ladder step: the breach only counts the miss', () => {
    const breach = input('SlaBreached', facts);
    const step = input('SlaEscalated', { ...facts, step: 1, action: 'reassign', lastStep: true });
    const { emitted } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(breach, step);
    expect(emitted.filter((e) => e.type === 'LeadAssigned')).toHaveLength(1);
    expect(emitted.filter((e) => e.causationId === breach.eventId && e.type === 'LeadAssigned')).toEqual([]);
    expect(emitted.filter((e) => e.causationId === step.eventId).map((e) => e.type)).toEqual(['LeadAssigned']);
  });

  it('a second reassign step about the owner the lead already left is stale: still one reassignment', () => {
    const step = (n: number) => input('SlaEscalated', { ...facts, step: n, action: 'reassign', lastStep: n === 2 });
    const { emitted } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(input('SlaBreached', facts), step(1), step(2));
    expect(emitted.filter((e) => e.type === 'LeadAssigned')).toHaveLength(1);
  });
});
