import { parseEvent } from '@lead-sla/contracts';
import { decide } from '../disposition.decider';
import { initialContactState } from '../domain/contact-state';
import type { InputEvent } from '../domain/decision';
import { requalifyDue } from '../recycle-lead/recycle-lead.decider';
import { ctxAt, day, ev } from '../testing/disposition-scenario.fixture';
import { pendingRequalifications } from './contact-state.repository';
import { decisionEvents, evolveWith, loggableProblems } from './decision-events.util';

/** Applies inputs as the consumer does: decide, envelopes via eventFrom, fold input and envelopes. */
function applied(inputs: readonly InputEvent[]) {
  return inputs.reduce(
    (acc, input) => {
      const now = new Date(input.occurredAt);
      const events = decisionEvents(decide(acc.state, input, ctxAt(now)), () => `corr-${input.leadId}`, now);
      return { state: evolveWith(acc.state, input, events), events: [...acc.events, ...events] };
    },
    { state: initialContactState(), events: [] as ReturnType<typeof decisionEvents> },
  );
}

const recycledL0 = [
  ev.created('L0', { contactKey: 'pat@example.com', eventId: 'created-L0' }),
  ev.assigned('L0', 'ava'),
  ev.dispositioned('L0', 'ava', 'nurture', { reason: 'budget next year', at: day(1), eventId: 'dispo-L0' }),
];

describe('decision events (the consumer and scheduler glue around the deciders)', () => {
  it('gives every emission a valid contract envelope caused by the input, with deterministic ids', () => {
    const first = applied(recycledL0);
    const again = applied(recycledL0);
    expect(first.events.map((e) => e.eventId)).toEqual(again.events.map((e) => e.eventId));
    for (const e of first.events) expect(parseEvent(e)).toMatchObject({ ok: true });
    const recycled = first.events.find((e) => e.type === 'LeadRecycled')!;
    expect(recycled).toMatchObject({ leadId: 'L0', causationId: 'dispo-L0', correlationId: 'corr-L0', occurredAt: day(1) });
  });

  it('remembers the LeadRecycled envelope id, so the time trigger continues that recycle with stable ids', () => {
    const { state, events } = applied(recycledL0);
    const recycled = events.find((e) => e.type === 'LeadRecycled')!;
    expect(state.leads['L0']?.recycled?.recycledEventId).toBe(recycled.eventId);
    expect(pendingRequalifications(state)).toEqual([{ leadId: 'L0', recycledEventId: recycled.eventId, requalifyAt: day(61) }]);

    const fire = () => decisionEvents(requalifyDue(state, new Date(day(61))), () => 'corr-of-recycle', new Date(day(61)));
    const requalified = fire().find((e) => e.type === 'LeadRequalified')!;
    expect(requalified).toMatchObject({ leadId: 'L0', causationId: recycled.eventId, correlationId: 'corr-of-recycle' });
    expect(fire().map((e) => e.eventId)).toEqual(fire().map((e) => e.eventId));
    expect(pendingRequalifications(evolveWith(state, null, fire()))).toEqual([]);
  });

  it('puts a signal re-qualification on the recycled lead, caused by the new LeadCreated', () => {
    const { events, state } = applied([...recycledL0, ev.created('L1', { contactKey: 'pat@example.com', at: day(5), eventId: 'created-L1' })]);
    const requalified = events.find((e) => e.type === 'LeadRequalified')!;
    expect(requalified).toMatchObject({ leadId: 'L0', causationId: 'created-L1', correlationId: 'corr-L1', data: { trigger: 'signal', signalEventId: 'created-L1' } });
    expect(pendingRequalifications(state)).toEqual([]);
  });

  it('calls for no due time once the contact is suppressed', () => {
    const { state } = applied([...recycledL0, ev.consentWithdrawn('L0', day(2))]);
    expect(pendingRequalifications(state)).toEqual([]);
  });

  it('keeps the contact key out of log lines', () => {
    expect(loggableProblems(['contact "pat@example.com" is suppressed: a new lead for it is never routed'], 'pat@example.com')).toEqual([
      'contact "[contact]" is suppressed: a new lead for it is never routed',
    ]);
  });
});
