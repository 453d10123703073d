import { ev, given, ofType, run, expectValidAgainstContracts, verdict } from '../testing/disposition-scenario.fixture';

const owned = [ev.created('L1', { channels: ['phone', 'email'] }), ev.assigned('L1', 'ava')];

describe('data cleanup', () => {
  it('raises DataCleanupRequested with the active owner when a contact bounces', () => {
    const decision = given(owned).when(ev.bounced('L1', 'email', undefined, 'mailbox does not exist'));
    expect(decision.emit).toEqual([
      {
        type: 'DataCleanupRequested',
        leadId: 'L1',
        step: 'data-cleanup',
        causeEventId: expect.any(String),
        data: { channel: 'email', ownerRepId: 'ava', detail: 'mailbox does not exist' },
      },
    ]);
    expectValidAgainstContracts(decision);
  });

  it('raises it without an owner for a lead not yet assigned', () => {
    const decision = given([ev.created('L1')]).when(ev.bounced('L1', 'phone'));
    expect(ofType(decision, 'DataCleanupRequested')[0]?.data).toEqual({ channel: 'phone', ownerRepId: null, detail: null });
  });

  it('remembers the bounced channel until it is fixed, and emits nothing on the fix', () => {
    const bounced = run([...owned, ev.bounced('L1', 'email')]);
    expect(bounced.state.leads['L1']?.bouncedChannels).toEqual(['email']);
    const fixed = run([...owned, ev.bounced('L1', 'email'), ev.fixed('L1', 'email')]);
    expect(fixed.state.leads['L1']?.bouncedChannels).toEqual([]);
    expect(verdict(fixed.decisions[fixed.decisions.length - 1])).toEqual({ emit: [], refusal: null });
  });

  it('points a "bad_data" disposition at the channel that bounced last', () => {
    const decision = given([...owned, ev.bounced('L1', 'email')]).when(ev.dispositioned('L1', 'ava', 'bad_data', { reason: 'typo in domain' }));
    expect(ofType(decision, 'DataCleanupRequested')[0]?.data.channel).toBe('email');
  });
});
