import { decideContactBounced, decideContactFixed } from './contact-data.decider';
import { NOW, assignedData, env, offShift, onShiftOnly, ownedLead, queuedData, routingState, testPolicy, view } from '../testing/routing.fixture';
import { applied } from '../testing/routing.harness';

describe('bad contact data', () => {
  it('moves a bounced lead to the data-cleanup owner', () => {
    const d = decideContactBounced({ channel: 'email', detail: 'mailbox full' }, ownedLead('emea', ['ava']), env());
    expect(assignedData(d)).toMatchObject({
      repId: 'data-desk',
      teamId: 'data-ops',
      poolId: 'emea',
      reason: 'data_cleanup',
      reassignment: false,
      previousRepId: 'ava',
      reassignmentCause: 'contact bounced (email): mailbox full',
    });
    expect(applied(routingState({ leads: [ownedLead('emea', ['ava'])] }), d).changes.capacity).toEqual([
      { repId: 'ava', leadId: 'lead-1', delta: -1 },
      { repId: 'data-desk', leadId: 'lead-1', delta: 1 },
    ]);
  });

  it('changes nothing on a second bounce while the lead is already in cleanup', () => {
    expect(decideContactBounced({ channel: 'phone' }, ownedLead('emea', ['ava', 'data-desk']), env())).toEqual([]);
  });

  it('changes nothing when the policy has no data-cleanup owner', () => {
    const policy = { ...testPolicy(), routing: { ...testPolicy().routing, dataCleanupOwner: undefined } };
    expect(decideContactBounced({ channel: 'email' }, ownedLead('emea', ['ava']), env({ policy }))).toEqual([]);
  });

  it('gives a fixed lead back to the active owner it had before cleanup', () => {
    const d = decideContactFixed({ channel: 'email', fixedBy: 'ops-1' }, ownedLead('emea', ['ava', 'data-desk']), view(), env());
    expect(assignedData(d)).toMatchObject({
      repId: 'ava',
      reason: 'data_fixed',
      previousRepId: 'data-desk',
      reassignmentCause: 'contact fixed (email) by ops-1',
      skipped: [],
    });
    expect(applied(routingState({ leads: [ownedLead('emea', ['ava', 'data-desk'])] }), d).changes.pools).toEqual([]);
  });

  it('routes a fixed lead round robin in its pool when the owner before cleanup is away', () => {
    const d = decideContactFixed({ channel: 'email' }, ownedLead('emea', ['ava', 'data-desk']), view(), env({ isOnShift: offShift('ava') }));
    expect(assignedData(d)).toMatchObject({ repId: 'ben', reason: 'data_fixed', skipped: [{ repId: 'ava', reason: 'off_shift' }] });
    // Round robin: the pool's pointer moves, as for any round-robin pick.
    const e = env({ isOnShift: offShift('ava') });
    expect(applied(routingState({ leads: [ownedLead('emea', ['ava', 'data-desk'])] }), d, e).changes.pools).toEqual([{ poolId: 'emea', lastAssignedRepId: 'ben', lastAssigned: { at: NOW, eventId: expect.any(String), causeId: expect.any(String) } }]);
  });

  it('queues a fixed lead nobody can take', () => {
    const d = decideContactFixed({ channel: 'email' }, ownedLead('solo', ['sam', 'data-desk']), view(), env(onShiftOnly(offShift('sam'))));
    expect(queuedData(d)).toMatchObject({ poolId: 'solo' });
  });

  it('ignores a fix for a lead that is not in cleanup', () => {
    expect(decideContactFixed({ channel: 'email' }, ownedLead('emea', ['ava']), view(), env())).toEqual([]);
  });
});
