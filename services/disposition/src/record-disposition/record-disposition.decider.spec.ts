import {
  day,
  enoughEffort,
  ev,
  expectValidAgainstContracts,
  given,
  ofType,
  types,
  examplePolicy,
  ctxAt,
} from '../testing/disposition-scenario.fixture';
import { initialContactState } from '../domain/contact-state';
import { validateDisposition } from './validate-disposition';

const workingLead = [ev.created('L1', { channels: ['phone', 'email'] }), ev.assigned('L1', 'ava')];
const acceptedLead = [...workingLead, ev.accepted('L1', 'ava')];

describe('record disposition', () => {
  describe('each code of the example policy, applied by the owner', () => {
    it('"working" with a next step is recorded, and only that: the lead stays open', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ava', 'working', { nextStep: 'call Tuesday' }));
      expect(types(decision)).toEqual(['DispositionRecorded(L1)']);
      expect(decision.refusal).toBeNull();
      expect(ofType(decision, 'DispositionRecorded')[0]?.data).toMatchObject({ code: 'working', closes: false, outcome: 'none', repId: 'ava' });
    });

    it('"qualified" moves an accepted lead from SAL to SQL', () => {
      const decision = given(acceptedLead).when(
        ev.dispositioned('L1', 'ava', 'qualified', { reason: 'budget confirmed', nextStep: 'AE demo' }),
      );
      expect(ofType(decision, 'LeadStageChanged').map((e) => e.data)).toEqual([
        { from: 'sal', to: 'sql', by: 'ava', reason: 'disposition "qualified"' },
      ]);
    });

    it.each([
      ['not_a_fit', 'long-term-nurture', 'signal', null],
      ['nurture', 'nurture', 'time_or_signal', day(61)],
      ['bad_timing', 'bad-timing', 'time_or_signal', day(91)],
      ['competitor', 'competitive', 'time_or_signal', day(181)],
    ])('"%s" recycles to track "%s" (trigger %s, due %s) and frees the owner', (code, track, trigger, requalifyAt) => {
      const decision = given(acceptedLead).when(ev.dispositioned('L1', 'ava', code, { reason: 'why', nextStep: 'later', at: day(1) }));
      expect(types(decision)).toEqual(['DispositionRecorded(L1)', 'LeadRecycled(L1)', 'LeadStageChanged(L1)']);
      expect(ofType(decision, 'LeadRecycled')[0]?.data).toEqual({
        previousRepId: 'ava',
        code,
        reason: 'why',
        nurtureTrack: track,
        trigger,
        requalifyAt,
        policyVersion: examplePolicy.version,
      });
      expect(ofType(decision, 'LeadStageChanged')[0]?.data).toEqual({ from: 'sal', to: 'inquiry', by: 'ava', reason: `recycled ("${code}"): why` });
      expectValidAgainstContracts(decision);
    });

    it('"no_response" after the minimum effort recycles to "re-engage" for 30 days, with its reason', () => {
      const decision = given([...workingLead, ...enoughEffort('L1', 'ava')]).when(ev.dispositioned('L1', 'ava', 'no_response', { reason: 'six attempts, no reply', at: day(14) }));
      expect(ofType(decision, 'LeadRecycled')[0]?.data).toMatchObject({ code: 'no_response', reason: 'six attempts, no reply', nurtureTrack: 're-engage', requalifyAt: day(44) });
    });

    it('"duplicate" with a reason closes the lead and emits only that it was recorded', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ava', 'duplicate', { reason: 'same as L0' }));
      expect(types(decision)).toEqual(['DispositionRecorded(L1)']);
      expect(decision.refusal).toBeNull();
      expect(ofType(decision, 'DispositionRecorded')[0]?.data).toMatchObject({ code: 'duplicate', closes: true, outcome: 'none' });
    });

    it('"bad_data" sends the lead to data cleanup on its first channel with the reason', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ava', 'bad_data', { reason: 'number belongs to someone else' }));
      expect(ofType(decision, 'DataCleanupRequested').map((e) => e.data)).toEqual([
        { channel: 'phone', ownerRepId: 'ava', detail: 'disposition "bad_data" by rep "ava": number belongs to someone else' },
      ]);
    });

    it('"do_not_contact" suppresses the lead for good, with its reason', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ava', 'do_not_contact', { reason: 'asked on the call' }));
      expect(ofType(decision, 'LeadSuppressed').map((e) => e.data)).toEqual([
        { cause: 'disposition', code: 'do_not_contact', reason: 'asked on the call', policyVersion: examplePolicy.version },
      ]);
    });
  });

  describe('rejections', () => {
    it('rejects an unknown code, listing the known ones', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ava', 'ghosted', { eventId: 'd-1' }));
      expect(ofType(decision, 'DispositionRejected').map((e) => e.data)).toEqual([
        {
          repId: 'ava',
          code: 'ghosted',
          dispositionEventId: 'd-1',
          problems: [
            'unknown disposition code "ghosted"; known codes: working, qualified, not_a_fit, nurture, bad_timing, competitor, no_response, duplicate, bad_data, do_not_contact',
          ],
          policyVersion: examplePolicy.version,
        },
      ]);
      expectValidAgainstContracts(decision);
    });

    it('rejects a code that requires a reason when the reason is missing or blank', () => {
      const missing = given(workingLead).when(ev.dispositioned('L1', 'ava', 'nurture', { reason: null }));
      const blank = given(workingLead).when(ev.dispositioned('L1', 'ava', 'nurture', { reason: '   ' }));
      for (const decision of [missing, blank]) expect(decision.refusal?.problems).toEqual(['code "nurture" requires a reason']);
    });

    it('rejects a code that requires a next step when it is missing', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ava', 'working', { nextStep: null }));
      expect(decision.refusal?.problems).toEqual(['code "working" requires a next step']);
    });

    it.each(['qualified', 'not_a_fit', 'nurture', 'bad_timing', 'competitor', 'no_response', 'duplicate', 'do_not_contact'])(
      'rejects closing code "%s" without a reason and a next step (the example policy exempts no code)',
      (code) => {
        const decision = given(workingLead).when(ev.dispositioned('L1', 'ava', code, { reason: null, nextStep: null }));
        expect(decision.refusal?.problems).toEqual(expect.arrayContaining([`code "${code}" requires a reason`, `code "${code}" requires a next step`]));
      },
    );

    it('accepts a closing code without the fields the policy exempts it from, and still asks for the others', () => {
      const exempting = {
        ...examplePolicy,
        dispositions: {
          ...examplePolicy.dispositions,
          codes: examplePolicy.dispositions.codes.map((c) => (c.code === 'do_not_contact' ? { ...c, closeOutExempt: ['nextStep' as const] } : c)),
        },
      };
      const noNextStep = given(workingLead, exempting).when(ev.dispositioned('L1', 'ava', 'do_not_contact', { nextStep: null }));
      expect(noNextStep.refusal).toBeNull();
      const noReason = given(workingLead, exempting).when(ev.dispositioned('L1', 'ava', 'do_not_contact', { reason: null, nextStep: null }));
      expect(noReason.refusal?.problems).toEqual(['code "do_not_contact" requires a reason']);
    });

    it('rejects a disposition from a rep who is not the current owner', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ben', 'working', { nextStep: 'call' }));
      expect(decision.refusal?.problems).toEqual(['rep "ben" is not the current owner of lead "L1" (the owner is "ava")']);
    });

    it('rejects a disposition of a lead that has no owner yet', () => {
      const decision = given([ev.created('L1')]).when(ev.dispositioned('L1', 'ava', 'working', { nextStep: 'call' }));
      expect(decision.refusal?.problems).toEqual(['rep "ava" is not the current owner of lead "L1": the lead has no owner']);
    });

    it('rejects a disposition of a recycled lead, naming its nurture track', () => {
      const recycled = [...workingLead, ev.dispositioned('L1', 'ava', 'nurture', { reason: 'next year', at: day(1) })];
      const decision = given(recycled).when(ev.dispositioned('L1', 'ava', 'working', { nextStep: 'call', at: day(2) }));
      expect(decision.refusal?.problems).toEqual([
        'rep "ava" is not the current owner of lead "L1": the lead has no owner (it is in nurture track "nurture")',
      ]);
    });

    it('rejects a disposition of a lead it has never seen', () => {
      const decision = given([]).when(ev.dispositioned('L9', 'ava', 'working', { nextStep: 'call' }));
      expect(decision.refusal?.problems).toEqual(['lead "L9" is unknown to the disposition service (no LeadCreated on record)']);
    });

    it('rejects "qualified" on a lead that is already an opportunity', () => {
      const qualify = (d: number) => ev.dispositioned('L1', 'ava', 'qualified', { reason: 'r', nextStep: 'n', at: day(d) });
      const decision = given([...acceptedLead, qualify(1), qualify(2)]).when(qualify(3));
      expect(decision.refusal?.problems).toEqual(['lead "L1" is already an opportunity: code "qualified" cannot move it further']);
    });

    it('names every problem at once', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ben', 'bad_timing', { reason: null, nextStep: null }));
      expect(decision.refusal?.problems).toEqual([
        'rep "ben" is not the current owner of lead "L1" (the owner is "ava")',
        'code "bad_timing" requires a reason',
        'code "bad_timing" requires a next step',
      ]);
      expect(ofType(decision, 'DispositionRejected')[0]?.data.problems).toEqual(decision.refusal?.problems);
    });

    it('does not change the lead when a disposition is rejected', () => {
      const decision = given(workingLead).when(ev.dispositioned('L1', 'ava', 'no_response'));
      expect(types(decision)).toEqual(['DispositionRejected(L1)']);
    });
  });

  describe('validateDisposition for an HTTP endpoint', () => {
    it('gives the same sentences a 422 would carry, without emitting anything', () => {
      const state = given(workingLead).state;
      expect(validateDisposition(state, 'L1', { actor: null, repId: 'ava', code: 'competitor' }, ctxAt(day(1)))).toEqual({
        ok: false,
        problems: ['code "competitor" requires a reason', 'code "competitor" requires a next step'],
      });
    });

    it('returns the rule and the lead when the disposition is valid', () => {
      const state = given(workingLead).state;
      const result = validateDisposition(state, 'L1', { actor: null, repId: 'ava', code: 'duplicate', reason: 'same as L0', nextStep: 'merge into L0' }, ctxAt(day(1)));
      expect(result.ok && result.rule.code).toBe('duplicate');
    });

    it('works on an empty state (unknown lead and unknown code together)', () => {
      const result = validateDisposition(initialContactState(), 'L1', { actor: null, repId: 'ava', code: 'x' }, ctxAt(day(1)));
      expect(result.ok ? [] : result.problems).toHaveLength(2);
    });
  });
});
