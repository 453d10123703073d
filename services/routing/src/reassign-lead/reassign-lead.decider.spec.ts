import { decideReassignLead, reassignmentFor, recentOwners } from './reassign-lead.decider';
import type { LeadRoutingState, RoutingEnv } from '../domain/routing-state.types';
import { NOW, assignedData, env, offShift, onShiftOnly, ownedLead, queuedData, routingState, testPolicy, view } from '../testing/routing.fixture';
import { applied } from '../testing/routing.harness';

/** The reassignment decided and folded as routing does it (the request kept on the lead, then the decision). */
function changesOf(lead: LeadRoutingState, e: RoutingEnv = env()) {
  const d = decideReassignLead({ ownerRepId: lead.ownerRepId, cause }, lead, view(), e);
  const pending = reassignmentFor({ ownerRepId: lead.ownerRepId, cause }, lead, e);
  const requested = routingState({ leads: [pending ? { ...lead, pendingReassignment: pending } : lead] });
  return applied(requested, d, e).changes;
}

const cause = 'first_touch SLA breached';

describe('reassign lead after an SLA miss', () => {
  it('moves the lead to the backup pool and says it is a reassignment, from whom and why', () => {
    const d = decideReassignLead({ ownerRepId: 'ava', cause }, ownedLead('emea', ['ava']), view(), env());
    expect(assignedData(d)).toMatchObject({
      repId: 'dev',
      poolId: 'amer',
      reason: 'reassignment',
      reassignment: true,
      previousRepId: 'ava',
      reassignmentCause: cause,
      managerId: 'mgr-amer',
    });
    const c = changesOf(ownedLead('emea', ['ava']));
    expect(c.leads[0]).toMatchObject({ ownerRepId: 'dev', poolId: 'amer' });
    expect(c.pools).toEqual([{ poolId: 'amer', lastAssignedRepId: 'dev', lastAssigned: { at: NOW, eventId: expect.any(String), causeId: expect.any(String) } }]);
  });

  it('moves the capacity count with the lead: down for the old owner, up for the new', () => {
    expect(changesOf(ownedLead('emea', ['ava'])).capacity).toEqual([
      { repId: 'ava', leadId: 'lead-1', delta: -1 },
      { repId: 'dev', leadId: 'lead-1', delta: 1 },
    ]);
  });

  it('moves no capacity for a lead already touched (an escalation on a later clock)', () => {
    expect(changesOf(ownedLead('emea', ['ava'], { awaitingFirstTouch: false })).capacity).toEqual([]);
  });

  it('takes the next available rep in the backup pool', () => {
    const d = decideReassignLead({ ownerRepId: 'ava', cause }, ownedLead('emea', ['ava']), view(), env({ isOnShift: offShift('dev') }));
    expect(assignedData(d)).toMatchObject({ repId: 'eli', skipped: [{ repId: 'dev', reason: 'off_shift' }] });
  });

  it('never goes back to a recent owner, even through the backup chain', () => {
    // Lead went ben → dev → ava; amer's eli is away, so the chain comes back to emea where only cai is left.
    const lead = ownedLead('emea', ['ben', 'dev', 'ava']);
    const d = decideReassignLead({ ownerRepId: 'ava', cause }, lead, view(), env({ isOnShift: offShift('eli') }));
    expect(assignedData(d)).toMatchObject({
      repId: 'cai',
      poolId: 'emea',
      skipped: [
        { repId: 'dev', reason: 'recent_owner' },
        { repId: 'eli', reason: 'off_shift' },
        { repId: 'ava', reason: 'recent_owner' },
        { repId: 'ben', reason: 'recent_owner' },
      ],
    });
  });

  it('only excludes as many previous owners as the policy says', () => {
    const lead = ownedLead('emea', ['ben', 'dev', 'ava']);
    expect([...recentOwners(lead, 2)]).toEqual(['ava', 'dev']);
    expect([...recentOwners(lead, 0)]).toEqual(['ava']);
    const d = decideReassignLead({ ownerRepId: 'ava', cause }, lead, view(), env({ policy: testPolicy({ excludeRecentOwners: 1 }) }));
    expect(assignedData(d).repId).toBe('dev');
  });

  it('reassigns inside the pool when it has no backup', () => {
    const lead = ownedLead('solo', ['sam']);
    const d = decideReassignLead({ ownerRepId: 'sam', cause }, lead, view(), env());
    expect(queuedData(d)).toMatchObject({ poolId: 'solo', skipped: [{ repId: 'sam', reason: 'recent_owner' }] });
  });

  it('queues the lead, remembering whom to avoid, when nobody can take it', () => {
    const d = decideReassignLead({ ownerRepId: 'ava', cause }, ownedLead('emea', ['ava']), view(), env(onShiftOnly(offShift('ben', 'cai', 'dev', 'eli'))));
    expect(queuedData(d).cause).toContain(cause);
    // The owner the lead left, so the timer stops their clocks (fair blame: a later breach is not theirs).
    expect(queuedData(d).previousRepId).toBe('ava');
    const c = changesOf(ownedLead('emea', ['ava']), env(onShiftOnly(offShift('ben', 'cai', 'dev', 'eli'))));
    expect(c.queueAdded).toEqual([expect.objectContaining({ excludeRepIds: ['ava'], reassignmentCause: cause })]);
    expect(c.capacity).toEqual([{ repId: 'ava', leadId: 'lead-1', delta: -1 }]);
    expect(c.leads[0]).toMatchObject({ ownerRepId: null });
  });

  it('ignores a stale breach about an owner the lead no longer has', () => {
    const d = decideReassignLead({ ownerRepId: 'ben', cause }, ownedLead('emea', ['ben', 'ava']), view(), env());
    expect(d).toEqual([]);
  });

  it('ignores a lead without an owner', () => {
    expect(decideReassignLead({ ownerRepId: null, cause }, null, view(), env())).toEqual([]);
  });
});
