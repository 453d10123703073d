import { decideDrainQueue } from './unassigned-queue.decider';
import type { QueuedLead } from '../domain/routing-state.types';
import { NOW, env, lead, minutesBefore, offShift, ownedLead, rep, view } from '../domain/routing.fixtures';

function queued(leadId: string, minutesAgo: number, over: Partial<QueuedLead> = {}): QueuedLead {
  return { lead: lead({ leadId, poolId: 'solo', ruleId: 'partners' }), queuedAt: minutesBefore(NOW, minutesAgo), excludeRepIds: [], reassignmentCause: null, ...over };
}

describe('unassigned queue drain', () => {
  it('assigns queued leads oldest first, up to the capacity that came free', () => {
    // sam (cap 2) has one open lead: one slot, three queued leads.
    const d = decideDrainQueue([queued('late', 1), queued('first', 30), queued('second', 10)], view([rep('sam', { openAwaitingFirstTouch: 1 })]), env());
    expect(d.emit).toEqual([expect.objectContaining({ type: 'LeadAssigned', leadId: 'first' })]);
    expect(d.queue.remove).toEqual(['first']);
    expect(d.capacity).toEqual([{ repId: 'sam', leadId: 'first', delta: 1 }]);
  });

  it('says the assignment came from the queue drain', () => {
    const d = decideDrainQueue([queued('first', 30)], view(), env());
    expect(d.emit[0]).toMatchObject({ data: { repId: 'sam', reason: 'queue_drain', reassignment: false, poolId: 'solo', ruleId: 'partners' } });
  });

  it('leaves leads queued while still nobody can take them', () => {
    const d = decideDrainQueue([queued('first', 30)], view(), env({ isOnShift: offShift('sam') }));
    expect(d.emit).toEqual([]);
    expect(d.queue.remove).toEqual([]);
  });

  it('goes past a lead nobody can take to a later one in another pool', () => {
    const emeaLead = queued('emea-lead', 5, { lead: lead({ leadId: 'emea-lead', poolId: 'emea' }) });
    const d = decideDrainQueue([queued('solo-lead', 30), emeaLead], view(), env({ isOnShift: offShift('sam') }));
    expect(d.queue.remove).toEqual(['emea-lead']);
  });

  it('spreads several drained leads round robin, advancing the pointer between them', () => {
    const qs = ['a', 'b', 'c'].map((id, i) => queued(id, 30 - i, { lead: lead({ leadId: id, poolId: 'emea' }) }));
    const d = decideDrainQueue(qs, view(), env());
    expect(d.emit.map((e) => (e.type === 'LeadAssigned' ? e.data.repId : e.type))).toEqual(['ava', 'ben', 'cai']);
    expect(d.pools).toEqual([{ poolId: 'emea', lastAssignedRepId: 'cai' }]);
  });

  it('finishes a queued reassignment as a reassignment, still avoiding recent owners', () => {
    const previously = ownedLead('amer', ['ava'], { ownerRepId: null });
    const q = queued('lead-1', 5, { lead: previously, excludeRepIds: ['ava'], reassignmentCause: 'first_touch SLA breached' });
    const d = decideDrainQueue([q], view(), env({ isOnShift: offShift('dev', 'eli') }));
    expect(d.emit[0]).toMatchObject({
      data: { repId: 'ben', reason: 'queue_drain', reassignment: true, previousRepId: 'ava', reassignmentCause: 'first_touch SLA breached' },
    });
  });
});
