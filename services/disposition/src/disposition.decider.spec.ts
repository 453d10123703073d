import { day, ev, run, testIdFor, ctxAt, enoughEffort, expectValidAgainstContracts } from './testing/disposition-scenario.fixture';
import { decide, emittedFacts } from './disposition.decider';
import { evolve } from './domain/contact.evolve';
import { initialContactState } from './domain/contact-state';
import type { Fact } from './domain/decision';

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
    const keys = decisions.flatMap((d) => d.emit.map((e) => testIdFor(e.causeEventId, e.step)));
    expect(new Set(keys).size).toBe(keys.length);
    decisions.forEach(expectValidAgainstContracts);
  });

  it('tells the whole story of a contact', () => {
    const { decisions } = run(lifeOfAContact);
    expect(decisions.flatMap((d) => d.emit.map((e) => `${e.type}(${e.leadId})`))).toEqual([
      'LeadStageChanged(L1)', // created → MQL
      'LeadStageChanged(L1)', // accepted → SAL
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
    const live = run(inputs).state;
    let state = initialContactState();
    const log: Fact[] = [];
    for (const input of inputs) {
      const decision = decide(state, input, ctxAt(input.occurredAt));
      const facts = [input, ...emittedFacts(decision, new Date(input.occurredAt), testIdFor)];
      log.push(...facts);
      state = facts.reduce(evolve, state);
    }
    expect(log.reduce(evolve, initialContactState())).toEqual(live);
  });

  it('decides the same way when an input is redelivered', () => {
    const { state } = run(lifeOfAContact.slice(0, 9));
    const input = ev.dispositioned('L1', 'ava', 'no_response', { at: day(14), eventId: 'again' });
    expect(decide(state, input, ctxAt(day(14)))).toEqual(decide(state, input, ctxAt(day(14))));
  });
});
