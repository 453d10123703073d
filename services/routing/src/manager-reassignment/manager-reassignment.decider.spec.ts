import { lead, ownedLead, pool, routingState } from '../testing/routing.fixture';
import { given, input } from '../testing/routing.harness';

const manager = { kind: 'person' as const, id: 'mgr-emea', role: 'manager' as const };
const request = (toRepId: string, fromRepId: string | null, note?: string) =>
  input('LeadReassignmentRequested', { toRepId, fromRepId, actor: manager, ...(note ? { note } : {}) });

describe("a manager's reassignment", () => {
  it('gives the lead to the chosen rep, saying who moved it and why, and moves the capacity count with it', () => {
    const { emitted, changes } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(request('cai', 'ava', 'Cai speaks German'));
    expect(emitted.map((e) => e.type)).toEqual(['LeadAssigned']);
    expect(emitted[0].data).toMatchObject({
      repId: 'cai', poolId: 'emea', reason: 'reassignment', reassignment: false, previousRepId: 'ava',
      reassignmentCause: 'reassigned by manager mgr-emea: Cai speaks German', skipped: [],
    });
    expect(changes.capacity).toEqual([
      { repId: 'ava', leadId: 'lead-1', delta: -1 },
      { repId: 'cai', leadId: 'lead-1', delta: 1 },
    ]);
  });

  it("leaves the pool's round-robin pointer where it was (a person chose, not the rotation)", () => {
    const { changes } = given(routingState({ leads: [ownedLead('emea', ['ava'])], pools: [pool('emea', 'ava')] })).when(request('cai', 'ava'));
    expect(changes.pools).toEqual([]);
  });

  it("takes the lead into the chosen rep's own pool when the lead's pool does not list them", () => {
    const { emitted } = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(request('dev', 'ava'));
    expect(emitted[0].data).toMatchObject({ repId: 'dev', poolId: 'amer', teamId: 'amer-sdr', managerId: 'mgr-amer' });
  });

  it('takes a lead out of the unassigned queue', () => {
    const queued = lead({ poolId: 'emea', ruleId: 'emea' });
    const { emitted, changes } = given(routingState({ leads: [queued], queue: [{ leadId: 'lead-1', queuedAt: '2026-11-24T09:00:00.000Z', excludeRepIds: [], reassignmentCause: null }] })).when(request('ben', null));
    expect(emitted[0].data).toMatchObject({ repId: 'ben', previousRepId: null });
    expect(changes.queueRemoved).toEqual(['lead-1']);
  });

  it('ignores a request about an owner the lead no longer has (it moved on since the manager looked)', () => {
    expect(given(routingState({ leads: [ownedLead('emea', ['ava', 'ben'])] })).when(request('cai', 'ava')).emitted).toEqual([]);
  });

  it('ignores a request to give the lead to its owner, for a rep the policy no longer has, and for a lead routing released', () => {
    expect(given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(request('ava', 'ava')).emitted).toEqual([]);
    expect(given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(request('zed', 'ava')).emitted).toEqual([]);
    expect(given(routingState({ leads: [ownedLead('emea', ['ava'], { released: 'recycled' })] })).when(request('cai', 'ava')).emitted).toEqual([]);
    expect(given(routingState()).when(request('cai', 'ava')).emitted).toEqual([]);
  });
});
