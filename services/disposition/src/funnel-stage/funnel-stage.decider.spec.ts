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

  describe('the SAL decision (accept / reject): only a verified decision is applied', () => {
    it('moves an MQL to SAL when its owner accepts it, with the verdict that stops the accept/reject clock', () => {
      const request = ev.accepted('L1', 'ava');
      const decision = given(owned).when(request);
      expect(types(decision)).toEqual(['SalDecisionRecorded(L1)', 'LeadStageChanged(L1)']);
      expect(ofType(decision, 'SalDecisionRecorded')[0]?.data).toEqual({
        decision: 'accepted',
        repId: 'ava',
        ownerRepId: 'ava',
        requestEventId: request.eventId,
        reasonCode: null,
        reason: null,
        policyVersion: examplePolicy.version,
      });
      expect(ofType(decision, 'LeadStageChanged').map((e) => e.data)).toEqual([{ from: 'mql', to: 'sal', by: 'ava', reason: 'accepted by the owner' }]);
      expectValidAgainstContracts(decision);
    });

    it("accepts for the owner when the owner's manager decides", () => {
      const decision = given(owned).when(ev.accepted('L1', 'mgr-emea'));
      expect(ofType(decision, 'SalDecisionRecorded')[0]?.data).toMatchObject({ decision: 'accepted', repId: 'mgr-emea', ownerRepId: 'ava' });
      expect(ofType(decision, 'LeadStageChanged')[0]?.data.reason).toBe('accepted by "mgr-emea" for the owner "ava"');
    });

    it("rejects for the owner when an admin of the policy decides", () => {
      const decision = given(owned).when(ev.rejected('L1', 'revops-admin', 'duplicate'));
      expect(ofType(decision, 'SalDecisionRecorded')[0]?.data).toMatchObject({ decision: 'rejected', repId: 'revops-admin', ownerRepId: 'ava', reasonCode: 'duplicate' });
    });

    describe('admins are the directory\'s (admin: true), or admin keys and the demo user as the HTTP layer verified them', () => {
      const acceptedBy = (repId: string, actor: { kind: 'person' | 'api_key' | 'demo'; role: 'rep' | 'manager' | 'admin' | 'machine' }) => {
        const request = ev.accepted('L1', repId);
        return { ...request, data: { repId, actor: { ...actor, id: repId } } };
      };

      it('lets an admin API key and the demo user decide for the owner', () => {
        for (const [id, kind] of [['key-ops', 'api_key'], ['demo', 'demo']] as const) {
          const decision = given(owned).when(acceptedBy(id, { kind, role: 'admin' }));
          expect(ofType(decision, 'SalDecisionRecorded')[0]?.data).toMatchObject({ decision: 'accepted', repId: id, ownerRepId: 'ava' });
        }
      });

      it('refuses a person whose actor claims admin but whom the directory does not mark admin, and a machine key', () => {
        const forged = given(owned).when(acceptedBy('ben', { kind: 'person', role: 'admin' }));
        expect(ofType(forged, 'SalDecisionRefused')[0]?.data).toMatchObject({ kind: 'forbidden', repId: 'ben' });
        const machine = given(owned).when(acceptedBy('key-crm', { kind: 'api_key', role: 'machine' }));
        expect(ofType(machine, 'SalDecisionRefused')[0]?.data).toMatchObject({ kind: 'forbidden', repId: 'key-crm' });
      });
    });

    it('refuses a rejection by another rep as forbidden, with a SalDecisionRefused naming who may decide, and changes nothing', () => {
      const request = ev.rejected('L1', 'ben', 'not_a_fit');
      const decision = given(owned).when(request);
      const problem = 'rep "ben" may not reject lead "L1": only its owner "ava", the owner\'s manager "mgr-emea" or an admin of the policy may';
      expect(types(decision)).toEqual(['SalDecisionRefused(L1)']);
      expect(ofType(decision, 'SalDecisionRefused')[0]?.data).toEqual({
        decision: 'rejected',
        repId: 'ben',
        requestEventId: request.eventId,
        kind: 'forbidden',
        problems: [problem],
        policyVersion: examplePolicy.version,
      });
      expect(decision.refusal?.problems).toEqual([problem]);
      expectValidAgainstContracts(decision);
      // The lead is still the owner's MQL: the owner can still decide.
      expect(stages(given([...owned, request]).when(ev.accepted('L1', 'ava')))).toEqual(['mql→sal']);
    });

    it("refuses another team's manager too (only the owner's own manager may)", () => {
      expect(given(owned).when(ev.accepted('L1', 'mgr-amer')).refusal?.problems).toEqual([
        'rep "mgr-amer" may not accept lead "L1": only its owner "ava", the owner\'s manager "mgr-emea" or an admin of the policy may',
      ]);
    });

    it('refuses a second acceptance as a conflict', () => {
      const decision = given([...owned, ev.accepted('L1', 'ava')]).when(ev.accepted('L1', 'ava'));
      expect(ofType(decision, 'SalDecisionRefused')[0]?.data).toMatchObject({ kind: 'conflict', problems: ['lead "L1" is at stage sal: only an MQL can be accepted'] });
    });

    it('refuses a decision on a lead nobody owns yet', () => {
      expect(given([ev.created('L1')]).when(ev.accepted('L1', 'ava')).refusal?.problems).toEqual([
        'lead "L1" has no owner: nobody can accept it until routing assigns one',
      ]);
    });

    it('refuses an acceptance of an unknown lead', () => {
      expect(given([]).when(ev.accepted('L9', 'ava')).refusal?.problems).toEqual([
        'lead "L9" is unknown to the disposition service (no LeadCreated on record)',
      ]);
    });
  });

  describe('a rejected MQL', () => {
    it("goes back to marketing with the policy's reason code: stage inquiry and a signal-only recycle that frees the owner", () => {
      const decision = given(owned).when(ev.rejected('L1', 'ava', 'student_or_job_seeker', 'no budget'));
      expect(types(decision)).toEqual(['SalDecisionRecorded(L1)', 'LeadRecycled(L1)', 'LeadStageChanged(L1)']);
      expect(ofType(decision, 'SalDecisionRecorded')[0]?.data).toMatchObject({ decision: 'rejected', reasonCode: 'student_or_job_seeker', reason: 'no budget' });
      expect(ofType(decision, 'LeadRecycled')[0]?.data).toEqual({
        previousRepId: 'ava',
        code: 'mql_rejected',
        reason: 'student_or_job_seeker: no budget',
        nurtureTrack: 'marketing-review',
        trigger: 'signal',
        requalifyAt: null,
        policyVersion: examplePolicy.version,
      });
      expect(stages(decision)).toEqual(['mql→inquiry']);
      expect(ofType(decision, 'LeadStageChanged')[0]?.data.reason).toBe('recycled ("mql_rejected"): student_or_job_seeker: no budget');
      expectValidAgainstContracts(decision);
    });

    it("refuses a reason that is not one of the policy's codes, listing them", () => {
      const decision = given(owned).when(ev.rejected('L1', 'ava', 'meh'));
      expect(ofType(decision, 'SalDecisionRefused')[0]?.data).toMatchObject({
        kind: 'invalid',
        problems: ['unknown reject reason "meh"; the policy\'s reasons: not_a_fit, no_intent, student_or_job_seeker, competitor, existing_customer, duplicate, other'],
      });
    });

    it('refuses "other" without the free text the policy requires for it', () => {
      for (const text of [undefined, '  ']) {
        expect(given(owned).when(ev.rejected('L1', 'ava', 'other', text)).refusal?.problems).toEqual(['reject reason "other" needs a few words of explanation in "reason"']);
      }
      expect(given(owned).when(ev.rejected('L1', 'ava', 'other', 'wrong country')).refusal).toBeNull();
    });

    it('applies an old (v1) free-text rejection as "uncoded", as it was applied then', () => {
      const decision = given(owned).when(ev.rejected('L1', 'ava', 'uncoded', 'student, no budget'));
      expect(ofType(decision, 'SalDecisionRecorded')[0]?.data).toMatchObject({ reasonCode: 'uncoded', reason: 'student, no budget' });
    });

    it('comes back as an MQL on a new intent signal from the same contact', () => {
      const decision = given([...owned, ev.rejected('L1', 'ava', 'no_intent')]).when(ev.created('L2', { at: day(20) }));
      expect(types(decision)).toEqual(['LeadStageChanged(L2)', 'LeadRequalified(L1)', 'LeadStageChanged(L1)']);
    });

    it('cannot be rejected after it was accepted', () => {
      const decision = given([...owned, ev.accepted('L1', 'ava')]).when(ev.rejected('L1', 'ava', 'no_intent'));
      expect(decision.refusal?.problems).toEqual(['lead "L1" is at stage sal: only an MQL can be rejected']);
    });

    it('names every problem at once, the gravest kind first', () => {
      const decision = given([...owned, ev.accepted('L1', 'ava')]).when(ev.rejected('L1', 'ben', 'meh'));
      expect(ofType(decision, 'SalDecisionRefused')[0]?.data.kind).toBe('forbidden');
      expect(decision.refusal?.problems).toHaveLength(3);
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
