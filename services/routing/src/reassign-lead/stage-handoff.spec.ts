import { env, ownedLead, rep, routingState, testPolicy } from '../testing/routing.fixture';
import { given, input } from '../testing/routing.harness';

const toStage = (to: 'sal' | 'sql') => input('LeadStageChanged', { from: to === 'sql' ? 'sal' : 'mql', to, by: 'ava', reason: null });
const withAePool = env({ policy: testPolicy({ aePool: 'vip' }) });
const summary = (e: { type: string; leadId: string | null; data: unknown }) => {
  const d = e.data as { repId?: string; poolId?: string; reason?: string; previousRepId?: string | null };
  return [e.type, d.repId ?? null, d.poolId ?? null, d.reason ?? null, d.previousRepId ?? null];
};

describe('stage handoff: a lead reaching SQL goes to the policy\'s AE pool (routing.aePool)', () => {
  it('hands an SQL to the AE pool by round robin, naming the SDR it leaves', () => {
    const { emitted } = given(routingState({ leads: [ownedLead('emea', ['ava'], { awaitingFirstTouch: false })] }), withAePool).when(toStage('sql'));
    expect(emitted.map(summary)).toEqual([['LeadAssigned', 'fay', 'vip', 'stage_handoff', 'ava']]);
    expect(emitted[0].data).toMatchObject({ reassignment: false, reassignmentCause: 'reached SQL: handoff to the AE pool' });
  });

  it('does nothing for another stage, an owner already in the AE pool, or a policy without an AE pool', () => {
    const sdrLead = routingState({ leads: [ownedLead('emea', ['ava'])] });
    expect(given(sdrLead, withAePool).when(toStage('sal')).emitted).toEqual([]);
    expect(given(routingState({ leads: [ownedLead('vip', ['gus'])] }), withAePool).when(toStage('sql')).emitted).toEqual([]);
    expect(given(sdrLead).when(toStage('sql')).emitted).toEqual([]);
  });

  it('queues the SQL for the AE pool when no AE can take it (after the pool\'s backups)', () => {
    const away = ['fay', 'gus', 'ben', 'cai', 'dev', 'eli'].map((r) => rep(r, { available: false }));
    const { emitted, state } = given(routingState({ reps: away, leads: [ownedLead('emea', ['ava'])] }), withAePool).when(toStage('sql'));
    expect(emitted.map(summary)).toEqual([['LeadQueued', null, 'vip', null, 'ava']]);
    expect(state.queue.has('lead-1')).toBe(true);
  });
});
