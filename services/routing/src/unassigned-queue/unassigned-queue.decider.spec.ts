import { decideDrainQueue } from './unassigned-queue.decider';
import type { LeadRoutingState, QueuedLead, RepState, RoutingEnv } from '../domain/routing-state.types';
import { previewEvent } from '../routing.decider';
import { evolveRouting } from '../routing.evolve';
import { NOW, env, lead, minutesBefore, offShift, onShiftOnly, ownedLead, rep, routingState } from '../testing/routing.fixture';
import { changesBetween, input } from '../testing/routing.harness';

interface Queued {
  readonly lead: LeadRoutingState;
  readonly entry: QueuedLead;
}

function queued(leadId: string, minutesAgo: number, over: Partial<Omit<QueuedLead, 'leadId'>> & { lead?: LeadRoutingState } = {}): Queued {
  const { lead: l, ...entry } = over;
  return { lead: l ?? lead({ leadId, poolId: 'solo', ruleId: 'partners' }), entry: { leadId, queuedAt: minutesBefore(NOW, minutesAgo), excludeRepIds: [], reassignmentCause: null, ...entry } };
}

/** The drain over these queued leads, each pick folded before the next: the events and what changed. */
function drain(qs: Queued[], reps: RepState[] = [], e: RoutingEnv = env()) {
  const before = routingState({ reps, leads: qs.map((q) => q.lead), queue: qs.map((q) => q.entry) });
  const cause = input('RepAvailabilityChanged', { actor: null, repId: 'sam', status: 'available' }, null);
  let index = 0;
  const emit = decideDrainQueue(before, e, new Set(), (s, x) => evolveRouting(s, previewEvent(cause, x, e, index++), e));
  const after = emit.reduce((s, x, i) => evolveRouting(s, previewEvent(cause, x, e, i), e), before);
  return { emit, ...changesBetween(before, after) };
}

describe('unassigned queue drain', () => {
  it('assigns queued leads oldest first, up to the capacity that came free', () => {
    // sam (cap 2) has one open lead: one slot, three queued leads.
    const d = drain([queued('late', 1), queued('first', 30), queued('second', 10)], [rep('sam', { openAwaitingFirstTouch: 1 })]);
    expect(d.emit).toEqual([expect.objectContaining({ type: 'LeadAssigned', leadId: 'first' })]);
    expect(d.queueRemoved).toEqual(['first']);
    expect(d.capacity).toEqual([{ repId: 'sam', leadId: 'first', delta: 1 }]);
  });

  it('says the assignment came from the queue drain', () => {
    const d = drain([queued('first', 30)]);
    expect(d.emit[0]).toMatchObject({ data: { repId: 'sam', reason: 'queue_drain', reassignment: false, poolId: 'solo', ruleId: 'partners' } });
  });

  it('leaves leads queued while still nobody can take them', () => {
    const d = drain([queued('first', 30)], [], env(onShiftOnly(offShift('sam'))));
    expect(d.emit).toEqual([]);
    expect(d.queueRemoved).toEqual([]);
  });

  it('goes past a lead nobody can take to a later one in another pool', () => {
    const emeaLead = queued('emea-lead', 5, { lead: lead({ leadId: 'emea-lead', poolId: 'emea' }) });
    const d = drain([queued('solo-lead', 30), emeaLead], [], env(onShiftOnly(offShift('sam'))));
    expect(d.queueRemoved).toEqual(['emea-lead']);
  });

  it('spreads several drained leads round robin, advancing the pointer between them', () => {
    const qs = ['a', 'b', 'c'].map((id, i) => queued(id, 30 - i, { lead: lead({ leadId: id, poolId: 'emea' }) }));
    const d = drain(qs);
    expect(d.emit.map((e) => (e.type === 'LeadAssigned' ? e.data.repId : e.type))).toEqual(['ava', 'ben', 'cai']);
    expect(d.pools).toEqual([{ poolId: 'emea', lastAssignedRepId: 'cai', lastAssigned: { at: NOW, eventId: expect.any(String), causeId: expect.any(String) } }]);
  });

  it('finishes a queued reassignment as a reassignment, still avoiding recent owners', () => {
    const previously = ownedLead('amer', ['ava'], { ownerRepId: null });
    const q = queued('lead-1', 5, { lead: previously, excludeRepIds: ['ava'], reassignmentCause: 'first_touch SLA breached' });
    const d = drain([q], [], env(onShiftOnly(offShift('dev', 'eli'))));
    expect(d.emit[0]).toMatchObject({
      data: { repId: 'ben', reason: 'queue_drain', reassignment: true, previousRepId: 'ava', reassignmentCause: 'first_touch SLA breached' },
    });
  });
});
