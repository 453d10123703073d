import { parseEvent } from '@lead-sla/contracts';
import { fireDueRequalifications, pendingRequalifications } from '../recycle-lead/recycle-lead.decider';
import { day, ev, run } from '../testing/disposition-scenario.fixture';
import { loggableProblems } from './loggable-problems.util';

const recycledL0 = [
  ev.created('L0', { contactKey: 'pat@example.com', eventId: 'created-L0' }),
  ev.assigned('L0', 'ava'),
  ev.dispositioned('L0', 'ava', 'nurture', { reason: 'budget next year', at: day(1), eventId: 'dispo-L0' }),
];

const eventsOf = (r: ReturnType<typeof run>) => r.decisions.flatMap((d) => d.events);

describe('decision events (the envelopes the runtime builds around the decider)', () => {
  it('gives every emission a valid contract envelope caused by the input, with deterministic ids', () => {
    const first = eventsOf(run(recycledL0));
    const again = eventsOf(run(recycledL0));
    expect(first.map((e) => e.eventId)).toEqual(again.map((e) => e.eventId));
    for (const e of first) expect(parseEvent(e)).toMatchObject({ ok: true });
    const recycled = first.find((e) => e.type === 'LeadRecycled')!;
    expect(recycled).toMatchObject({ leadId: 'L0', causationId: 'dispo-L0', correlationId: 'corr-L0', occurredAt: day(1) });
  });

  it('remembers the LeadRecycled envelope id, so the time trigger continues that recycle with stable ids', () => {
    const applied = run(recycledL0);
    const { state } = applied;
    const recycled = eventsOf(applied).find((e) => e.type === 'LeadRecycled')!;
    expect(state.leads['L0']?.recycled?.recycledEventId).toBe(recycled.eventId);
    expect(pendingRequalifications(state)).toEqual([{ leadId: 'L0', recycledEventId: recycled.eventId, correlationId: 'corr-L0', requalifyAt: day(61) }]);

    const fire = () => fireDueRequalifications(state, new Date(day(61)));
    const requalified = fire().events.find((e) => e.type === 'LeadRequalified')!;
    expect(requalified).toMatchObject({ leadId: 'L0', causationId: recycled.eventId, correlationId: recycled.correlationId });
    expect(fire().events.map((e) => e.eventId)).toEqual(fire().events.map((e) => e.eventId));
    for (const e of fire().events) expect(parseEvent(e)).toMatchObject({ ok: true });
    expect(pendingRequalifications(fire().state)).toEqual([]);
  });

  it('puts a signal re-qualification on the recycled lead, caused by the new LeadCreated', () => {
    const applied = run([...recycledL0, ev.created('L1', { contactKey: 'pat@example.com', at: day(5), eventId: 'created-L1' })]);
    const requalified = eventsOf(applied).find((e) => e.type === 'LeadRequalified')!;
    expect(requalified).toMatchObject({ leadId: 'L0', causationId: 'created-L1', correlationId: 'corr-L1', data: { trigger: 'signal', signalEventId: 'created-L1' } });
    expect(pendingRequalifications(applied.state)).toEqual([]);
  });

  it('calls for no due time once the contact is suppressed', () => {
    const { state } = run([...recycledL0, ev.consentWithdrawn('L0', day(2))]);
    expect(pendingRequalifications(state)).toEqual([]);
  });

  it('keeps the contact key out of log lines', () => {
    expect(loggableProblems(['contact "pat@example.com" is suppressed: a new lead for it is never routed'], 'pat@example.com')).toEqual([
      'contact "[contact]" is suppressed: a new lead for it is never routed',
    ]);
  });
});
