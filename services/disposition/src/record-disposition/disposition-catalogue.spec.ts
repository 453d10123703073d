import { examplePolicy } from '../testing/disposition-scenario.fixture';
import { dispositionCatalogue } from './disposition-catalogue';

describe('disposition catalogue of the example policy', () => {
  // Item 10 of issue 11: every closing code needs a reason and a next step; the example policy exempts none.
  const catalogue = dispositionCatalogue(examplePolicy.dispositions);

  it('lists every code of the policy, in order', () => {
    expect([...catalogue.keys()]).toEqual([
      'working',
      'qualified',
      'not_a_fit',
      'nurture',
      'bad_timing',
      'competitor',
      'no_response',
      'duplicate',
      'bad_data',
      'do_not_contact',
    ]);
  });

  it.each([
    // code, closes, reason, next step, minimum effort, effect
    ['working', false, false, true, false, { kind: 'none' }],
    ['qualified', true, true, true, false, { kind: 'qualify' }],
    ['not_a_fit', true, true, true, false, { kind: 'recycle', nurtureTrack: 'long-term-nurture', trigger: 'signal', afterDays: null }],
    ['nurture', true, true, true, false, { kind: 'recycle', nurtureTrack: 'nurture', trigger: 'time_or_signal', afterDays: 60 }],
    ['bad_timing', true, true, true, false, { kind: 'recycle', nurtureTrack: 'bad-timing', trigger: 'time_or_signal', afterDays: 90 }],
    ['competitor', true, true, true, false, { kind: 'recycle', nurtureTrack: 'competitive', trigger: 'time_or_signal', afterDays: 180 }],
    ['no_response', true, true, true, true, { kind: 'recycle', nurtureTrack: 're-engage', trigger: 'time_or_signal', afterDays: 30 }],
    ['duplicate', true, true, true, false, { kind: 'none' }],
    ['bad_data', false, true, false, false, { kind: 'data_cleanup' }],
    ['do_not_contact', true, true, true, false, { kind: 'suppress' }],
  ])('describes "%s": closes=%s, reason=%s, next step=%s, minimum effort=%s', (code, closes, reason, nextStep, effort, effect) => {
    expect(catalogue.get(code)).toMatchObject({
      closes,
      requiresReason: reason,
      requiresNextStep: nextStep,
      requiresMinimumEffort: effort,
      effect,
    });
  });

  it('summarises a code in one sentence for people', () => {
    expect(catalogue.get('nurture')?.summary).toBe(
      'Nurture ("nurture"): closes the lead; requires a reason; requires a next step; recycles to nurture track "nurture", re-qualified after 60 days or on a new intent signal',
    );
    expect(catalogue.get('no_response')?.summary).toBe(
      'No Response ("no_response"): closes the lead; requires a reason; requires a next step; requires the minimum effort first; recycles to nurture track "re-engage", re-qualified after 30 days or on a new intent signal',
    );
  });
});
