import { examplePolicy, day, ev, given, ofType, types, run, expectValidAgainstContracts } from '../testing/disposition-scenario.fixture';

const stages = (decision: ReturnType<ReturnType<typeof given>['when']>) => ofType(decision, 'LeadStageChanged').map((e) => `${e.data.from}→${e.data.to}`);
const owned = [ev.created('L1'), ev.assigned('L1', 'ava')];
const qualify = (d: number) => ev.dispositioned('L1', 'ava', 'qualified', { reason: 'budget', nextStep: 'demo', at: day(d) });

describe('funnel stages', () => {
  it('makes a created lead an MQL on arrival', () => {
    const decision = given([]).when(ev.created('L1'));
    expect(decision.emit.map((e) => e.data)).toEqual([{ from: 'inquiry', to: 'mql', by: null, reason: 'lead created from source "webinar"' }]);
    expectValidAgainstContracts(decision);
  });

  it('moves an MQL to SAL when its owner accepts it', () => {
    const decision = given(owned).when(ev.accepted('L1', 'ava'));
    expect(ofType(decision, 'LeadStageChanged').map((e) => e.data)).toEqual([{ from: 'mql', to: 'sal', by: 'ava', reason: 'accepted by the owner' }]);
  });

  it('refuses an acceptance by someone who is not the owner', () => {
    const decision = given(owned).when(ev.accepted('L1', 'ben'));
    expect(decision.emit).toEqual([]);
    expect(decision.refusal?.problems).toEqual(['rep "ben" is not the current owner of lead "L1" (the owner is "ava")']);
  });

  it('refuses a second acceptance', () => {
    const decision = given([...owned, ev.accepted('L1', 'ava')]).when(ev.accepted('L1', 'ava'));
    expect(decision.refusal?.problems).toEqual(['lead "L1" is at stage sal: only an MQL can be accepted']);
  });

  it('refuses an acceptance of an unknown lead', () => {
    expect(given([]).when(ev.accepted('L9', 'ava')).refusal?.problems).toEqual([
      'lead "L9" is unknown to the disposition service (no LeadCreated on record)',
    ]);
  });

  describe('a rejected MQL', () => {
    it('goes back to marketing with the reason: stage inquiry and a signal-only recycle that frees the owner', () => {
      const decision = given(owned).when(ev.rejected('L1', 'ava', 'student, no budget'));
      expect(types(decision)).toEqual(['LeadRecycled(L1)', 'LeadStageChanged(L1)']);
      expect(ofType(decision, 'LeadRecycled')[0]?.data).toEqual({
        previousRepId: 'ava',
        code: 'mql_rejected',
        reason: 'student, no budget',
        nurtureTrack: 'marketing-review',
        trigger: 'signal',
        requalifyAt: null,
        policyVersion: examplePolicy.version,
      });
      expect(stages(decision)).toEqual(['mql→inquiry']);
      expect(ofType(decision, 'LeadStageChanged')[0]?.data.reason).toBe('recycled ("mql_rejected"): student, no budget');
      expectValidAgainstContracts(decision);
    });

    it('comes back as an MQL on a new intent signal from the same contact', () => {
      const decision = given([...owned, ev.rejected('L1', 'ava', 'not now')]).when(ev.created('L2', { at: day(20) }));
      expect(types(decision)).toEqual(['LeadStageChanged(L2)', 'LeadRequalified(L1)', 'LeadStageChanged(L1)']);
    });

    it('cannot be rejected after it was accepted', () => {
      const decision = given([...owned, ev.accepted('L1', 'ava')]).when(ev.rejected('L1', 'ava', 'changed my mind'));
      expect(decision.refusal?.problems).toEqual(['lead "L1" is at stage sal: only an MQL can be rejected']);
    });
  });

  describe('qualification', () => {
    it('moves a SAL to SQL', () => {
      expect(stages(given([...owned, ev.accepted('L1', 'ava')]).when(qualify(1)))).toEqual(['sal→sql']);
    });

    it('steps an unaccepted MQL through SAL (acceptance implied) to SQL', () => {
      const decision = given(owned).when(qualify(1));
      expect(stages(decision)).toEqual(['mql→sal', 'sal→sql']);
      expect(ofType(decision, 'LeadStageChanged')[0]?.data.reason).toBe('implied by disposition "qualified"');
    });

    it('marks an SQL qualified again as an opportunity', () => {
      expect(stages(given([...owned, ev.accepted('L1', 'ava'), qualify(1)]).when(qualify(2)))).toEqual(['sql→opportunity']);
    });

    it('keeps the stage in the state', () => {
      expect(run([...owned, ev.accepted('L1', 'ava'), qualify(1)]).state.leads['L1']?.stage).toBe('sql');
    });
  });
});
