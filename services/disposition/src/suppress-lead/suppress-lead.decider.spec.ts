import { examplePolicy, day, ev, given, ofType, types, run, expectValidAgainstContracts, verdict, nextRequalifyAt } from '../testing/disposition-scenario.fixture';

const dnc = [
  ev.created('L1', { contactKey: 'pat@example.com' }),
  ev.assigned('L1', 'ava'),
  ev.dispositioned('L1', 'ava', 'do_not_contact', { reason: 'asked us to stop', at: day(1) }),
];
const why = `lead "L1" is suppressed (disposition "do_not_contact" on lead "L1" at ${day(1)}; reason: asked us to stop)`;

describe('suppression', () => {
  describe('Do Not Contact', () => {
    it('suppresses every lead of the contact, including a recycled one that would otherwise re-qualify', () => {
      const decision = given([
        ev.created('L0', { contactKey: 'pat@example.com' }),
        ev.assigned('L0', 'ben'),
        ev.dispositioned('L0', 'ben', 'nurture', { reason: 'later', at: day(0) }),
        ev.created('L1', { contactKey: 'pat@example.com', at: day(0) }),
        ev.assigned('L1', 'ava', day(0)),
      ]).when(ev.dispositioned('L1', 'ava', 'do_not_contact', { at: day(1) }));
      expect(types(decision)).toEqual(['DispositionRecorded(L1)', 'LeadSuppressed(L1)', 'LeadSuppressed(L0)']);
      expect(decision.emit.map((e) => e.step)).toEqual(['record-disposition', 'suppress', 'suppress:L0']);
      expectValidAgainstContracts(decision);
    });

    it('leaves nothing to re-qualify, by time or by signal', () => {
      const { state, decisions } = run([
        ev.created('L0', { contactKey: 'pat@example.com' }),
        ev.assigned('L0', 'ben'),
        ev.dispositioned('L0', 'ben', 'nurture', { reason: 'later', at: day(0) }),
        ev.consentWithdrawn('L0', day(2)),
        { due: day(100) },
      ]);
      expect(decisions[decisions.length - 1]?.emit).toEqual([]);
      expect(nextRequalifyAt(state)).toBeNull();
    });
  });

  describe('ConsentWithdrawn', () => {
    it('suppresses the lead for good with the detail as reason', () => {
      const decision = given([ev.created('L1'), ev.assigned('L1', 'ava')]).when(ev.consentWithdrawn('L1', day(1), 'unsubscribe link'));
      expect(ofType(decision, 'LeadSuppressed').map((e) => e.data)).toEqual([
        { cause: 'consent_withdrawn', code: null, reason: 'unsubscribe link', policyVersion: examplePolicy.version },
      ]);
    });

    it('suppresses even a lead this service has not seen, so the fact is never dropped', () => {
      const decision = given([]).when(ev.consentWithdrawn('L7', day(1)));
      expect(types(decision)).toEqual(['LeadSuppressed(L7)']);
    });

    it('does nothing when the contact is already suppressed', () => {
      expect(verdict(given(dnc).when(ev.consentWithdrawn('L1', day(2))))).toEqual({ emit: [], refusal: null });
    });
  });

  describe('later events on a suppressed lead are refused with the reason', () => {
    it.each([
      ['an outbound touch', ev.touched('L1', 'ava', 'phone', day(2)), 'ava', `${why}: the phone touch by rep "ava" is refused`],
      ['an assignment', ev.assigned('L1', 'ben', day(2)), 'ben', `${why}: routing it to rep "ben" is refused`],
      ['a bounce', ev.bounced('L1', 'email', day(2)), null, `${why}: data cleanup of its email is refused`],
      ['a data fix', ev.fixed('L1', 'email', day(2)), 'data-desk', `${why}: moving it back to an owner after the email fix is refused`],
    ])('refuses %s', (_what, event, repId, problem) => {
      const decision = given(dnc).when(event);
      expect(decision.emit).toEqual([]);
      expect(decision.refusal).toEqual({
        leadId: 'L1',
        eventId: event.eventId,
        eventType: event.type,
        repId,
        problems: [problem],
        policyVersion: examplePolicy.version,
      });
    });

    it.each([
      ['an acceptance', ev.accepted('L1', 'ava', day(2)), `${why}: accepting it (rep "ava") is refused`],
      ['a rejection', ev.rejected('L1', 'ava', 'no_intent', undefined, day(2)), `${why}: rejecting it (rep "ava") is refused`],
    ])('refuses %s with a SalDecisionRefused (a conflict)', (_what, event, problem) => {
      const decision = given(dnc).when(event);
      expect(types(decision)).toEqual(['SalDecisionRefused(L1)']);
      expect(ofType(decision, 'SalDecisionRefused')[0]?.data).toMatchObject({ kind: 'conflict', problems: [problem] });
      expect(decision.refusal?.problems).toEqual([problem]);
    });

    it('refuses a disposition with a DispositionRejected', () => {
      const decision = given(dnc).when(ev.dispositioned('L1', 'ava', 'working', { nextStep: 'call', at: day(2) }));
      expect(ofType(decision, 'DispositionRejected')[0]?.data.problems).toEqual([`${why}: no disposition can be applied`]);
    });

    it('lets an inbound reply through without a refusal (the person reached us)', () => {
      expect(verdict(given(dnc).when(ev.touched('L1', 'ava', 'email', day(2), { direction: 'inbound' })))).toEqual({ emit: [], refusal: null });
    });

    it('does not count a touch on a suppressed lead as an attempt', () => {
      const { state } = run([...dnc, ev.touched('L1', 'ava', 'phone', day(2))]);
      expect(state.leads['L1']?.attempts).toEqual([]);
      expect(state.leads['L1']?.ownerRepId).toBeNull();
    });
  });

  describe('a new lead for a suppressed contact', () => {
    it('is suppressed on arrival and never becomes an MQL', () => {
      const decision = given(dnc).when(ev.created('L2', { contactKey: 'pat@example.com', at: day(30), eventId: 'new-lead' }));
      const reason = `contact "pat@example.com" is suppressed (disposition "do_not_contact" on lead "L1" at ${day(1)}; reason: asked us to stop): a new lead for it is never routed`;
      expect(decision.emit).toEqual([
        {
          type: 'LeadSuppressed',
          leadId: 'L2',
          step: 'suppress',
          causeEventId: 'new-lead',
          data: { cause: 'disposition', code: 'do_not_contact', reason, policyVersion: examplePolicy.version },
        },
      ]);
      expect(decision.refusal?.problems).toEqual([reason]);
    });

    it('keeps the new lead suppressed afterwards', () => {
      const { state } = run([...dnc, ev.created('L2', { at: day(30) }), ev.assigned('L2', 'ben', day(30))]);
      expect(state.leads['L2']).toMatchObject({ suppressed: true, ownerRepId: null, stage: 'inquiry' });
    });
  });
});
