import type { LeadEvent } from '@lead-sla/contracts';
import { day, ev, run, ctxAt, emptyDispositionState, enoughEffort, expectValidAgainstContracts } from './testing/disposition-scenario.fixture';
import { dispositionDecider } from './disposition.decider';

const lifeOfAContact = [
  ev.created('L1', { contactKey: 'pat@example.com' }),
  ev.assigned('L1', 'ava'),
  ev.accepted('L1', 'ava'),
  ...enoughEffort('L1', 'ava'),
  ev.dispositioned('L1', 'ben', 'no_response', { at: day(14) }),
  ev.dispositioned('L1', 'ava', 'no_response', { at: day(14) }),
  { due: day(44) },
  ev.assigned('L1', 'cai', day(44)),
  ev.bounced('L1', 'email', day(45)),
  ev.fixed('L1', 'email', day(46)),
  ev.dispositioned('L1', 'cai', 'bad_timing', { reason: 'reorg', nextStep: 'call in Q3', at: day(47) }),
  ev.created('L2', { contactKey: 'pat@example.com', at: day(60) }),
  ev.assigned('L2', 'ava', day(60)),
  ev.consentWithdrawn('L2', day(61)),
  ev.touched('L2', 'ava', 'phone', day(62)),
  ev.created('L3', { contactKey: 'pat@example.com', at: day(90) }),
];

describe('disposition decider', () => {
  it('emits only events that match their contracts, with steps unique per cause', () => {
    const { decisions } = run(lifeOfAContact);
    const keys = decisions.flatMap((d) => d.emit.map((e) => `${e.causeEventId}/${e.step}`));
    expect(new Set(keys).size).toBe(keys.length);
    decisions.forEach(expectValidAgainstContracts);
  });

  it('tells the whole story of a contact', () => {
    const { decisions } = run(lifeOfAContact);
    expect(decisions.flatMap((d) => d.emit.map((e) => `${e.type}(${e.leadId})`))).toEqual([
      'LeadStageChanged(L1)', // created → MQL
      'SalDecisionRecorded(L1)', // ava's acceptance is verified …
      'LeadStageChanged(L1)', // … accepted → SAL
      'DispositionRejected(L1)', // ben is not the owner
      'DispositionRecorded(L1)', // ava's No Response is applied …
      'LeadRecycled(L1)', // … after the minimum effort
      'LeadStageChanged(L1)',
      'LeadRequalified(L1)', // 30 days later
      'LeadStageChanged(L1)',
      'DataCleanupRequested(L1)',
      'DispositionRecorded(L1)',
      'LeadRecycled(L1)', // bad timing
      'LeadStageChanged(L1)',
      'LeadStageChanged(L2)', // new signal: L2 is an MQL …
      'LeadRequalified(L1)', // … and L1 re-qualifies
      'LeadStageChanged(L1)',
      'LeadSuppressed(L2)', // consent withdrawn suppresses both leads
      'LeadSuppressed(L1)',
      'LeadSuppressed(L3)', // a later lead of the contact is suppressed on arrival
    ]);
    expect(decisions.filter((d) => d.refusal).map((d) => d.refusal?.eventType)).toEqual(['LeadDispositioned', 'LeadTouched', 'LeadCreated']);
  });

  it('rebuilds the same state by folding the inputs and the emitted events', () => {
    const inputs = lifeOfAContact.filter((s): s is Exclude<(typeof lifeOfAContact)[number], { due: string }> => !('due' in s));
    const live = run(inputs);
    const rebuilt = inputs.reduce((state, input, i) => {
      const env = ctxAt(input.occurredAt);
      const log: LeadEvent[] = [input, ...live.decisions[i].events];
      return log.reduce((s, e) => dispositionDecider.evolve(s, e, env), state);
    }, emptyDispositionState);
    expect(rebuilt).toEqual(live.batch);
  });

  it('decides the same way when an input is redelivered', () => {
    const { batch } = run(lifeOfAContact.slice(0, 9));
    const input = ev.dispositioned('L1', 'ava', 'no_response', { at: day(14), eventId: 'again' });
    expect(dispositionDecider.decide(batch, input, ctxAt(day(14)))).toEqual(dispositionDecider.decide(batch, input, ctxAt(day(14))));
  });
});
