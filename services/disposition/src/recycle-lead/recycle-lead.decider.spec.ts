import { examplePolicy, day, at, ev, given, ofType, run, types, enoughEffort, expectValidAgainstContracts, verdict, nextRequalifyAt, derivedId } from '../testing/disposition-scenario.fixture';

const nurtured = [
  ev.created('L1', { contactKey: 'pat@example.com' }),
  ev.assigned('L1', 'ava'),
  ev.dispositioned('L1', 'ava', 'nurture', { reason: 'budget next quarter', at: day(1), eventId: 'recycle-cause' }),
];

/** The LeadRecycled the nurture disposition emitted: the cause of the time re-qualification. */
const recycleId = derivedId('recycle-cause', 'recycle', 'LeadRecycled');

describe('recycle and re-qualification', () => {
  it('takes the recycled lead away from its owner and schedules its re-qualification', () => {
    const { state } = given(nurtured);
    expect(state.leads['L1']).toMatchObject({
      ownerRepId: null,
      stage: 'inquiry',
      recycled: { code: 'nurture', nurtureTrack: 'nurture', trigger: 'time_or_signal', requalifyAt: day(61), recycledEventId: recycleId },
    });
    expect(nextRequalifyAt(state)).toBe(day(61));
  });

  describe('by time', () => {
    it('does not fire a moment before the due time', () => {
      expect(given(nurtured).due(at(61 * 86_400_000 - 1)).emit).toEqual([]);
    });

    it('fires at the due time: LeadRequalified on the recycled lead and back to MQL', () => {
      const decision = given(nurtured).due(day(61));
      expect(decision.emit).toEqual([
        {
          type: 'LeadRequalified',
          leadId: 'L1',
          step: 'requalify',
          causeEventId: recycleId,
          data: { trigger: 'time', nurtureTrack: 'nurture', signalEventId: null, policyVersion: examplePolicy.version },
        },
        {
          type: 'LeadStageChanged',
          leadId: 'L1',
          step: 'stage:mql',
          causeEventId: recycleId,
          data: { from: 'inquiry', to: 'mql', by: null, reason: 're-qualified after the nurture delay of "nurture"' },
        },
      ]);
      expectValidAgainstContracts(decision);
    });

    it('fires once: after it fired nothing is due any more', () => {
      const { decisions, state } = run([...nurtured, { due: day(61) }, { due: day(90) }]);
      expect(decisions.map(types).slice(-2)).toEqual([['LeadRequalified(L1)', 'LeadStageChanged(L1)'], []]);
      expect(nextRequalifyAt(state)).toBeNull();
    });

    it('never fires for a signal-only code ("not_a_fit")', () => {
      const notAFit = [ev.created('L1'), ev.assigned('L1', 'ava'), ev.dispositioned('L1', 'ava', 'not_a_fit', { reason: 'students', at: day(1) })];
      expect(given(notAFit).due(day(3650)).emit).toEqual([]);
      expect(nextRequalifyAt(given(notAFit).state)).toBeNull();
    });
  });

  describe('by a new intent signal', () => {
    it('re-qualifies the recycled lead when the same contact raises a hand again under a new leadId', () => {
      const decision = given(nurtured).when(ev.created('L2', { contactKey: 'pat@example.com', at: day(10), eventId: 'signal-1' }));
      expect(types(decision)).toEqual(['LeadStageChanged(L2)', 'LeadRequalified(L1)', 'LeadStageChanged(L1)']);
      expect(ofType(decision, 'LeadRequalified')[0]).toMatchObject({
        leadId: 'L1',
        step: 'requalify:L1',
        causeEventId: 'signal-1',
        data: { trigger: 'signal', nurtureTrack: 'nurture', signalEventId: 'signal-1' },
      });
      expect(new Set(decision.emit.map((e) => e.step)).size).toBe(decision.emit.length);
    });

    it('re-qualifies a signal-only recycled lead too', () => {
      const notAFit = [ev.created('L1'), ev.assigned('L1', 'ava'), ev.dispositioned('L1', 'ava', 'not_a_fit', { reason: 'too small', at: day(1) })];
      const decision = given(notAFit).when(ev.created('L2', { at: day(200) }));
      expect(ofType(decision, 'LeadRequalified')[0]?.data.trigger).toBe('signal');
    });

    it('does not re-qualify on a signal when the trigger is time only', () => {
      const timeOnly = {
        ...examplePolicy,
        dispositions: {
          ...examplePolicy.dispositions,
          codes: examplePolicy.dispositions.codes.map((c) => (c.code === 'nurture' ? { ...c, requalify: { trigger: 'time' as const, afterDays: 60 } } : c)),
        },
      };
      const decision = given(nurtured, timeOnly).when(ev.created('L2', { at: day(10) }));
      expect(types(decision)).toEqual(['LeadStageChanged(L2)']);
    });

    it('cancels the time trigger once the signal re-qualified the lead', () => {
      const { decisions } = run([...nurtured, ev.created('L2', { at: day(10) }), { due: day(61) }]);
      expect(decisions[decisions.length - 1]?.emit).toEqual([]);
    });

    it('ignores a redelivered LeadCreated of a lead it already knows', () => {
      const created = ev.created('L2', { at: day(10) });
      const { decisions } = run([...nurtured, created, created]);
      expect(verdict(decisions[decisions.length - 1])).toEqual({ emit: [], refusal: null });
    });
  });

  it('counts minimum effort afresh after re-qualification', () => {
    const { state } = run([
      ev.created('L1'),
      ev.assigned('L1', 'ava'),
      ...enoughEffort('L1', 'ava'),
      ev.dispositioned('L1', 'ava', 'no_response', { at: day(14) }),
      { due: day(44) },
      ev.assigned('L1', 'ben', day(44)),
    ]);
    expect(state.leads['L1']?.attempts).toEqual([]);
    expect(state.leads['L1']?.ownerRepId).toBe('ben');
  });
});
