import type { LeadCreatedData } from '@lead-sla/contracts';
import { env, routingState, testPolicy } from '../testing/routing.fixture';
import { given, input } from '../testing/routing.harness';

const mql = { minScore: 60, handRaiserSources: ['demo-request'] };
const created = (over: Partial<LeadCreatedData>) =>
  input('LeadCreated', { source: 'webinar', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: 'jo@acme.test' }, channels: ['email'], ...over });

describe('MQL threshold (routing.mql): only marketing-qualified leads are routed to sales', () => {
  it('records a lead below the threshold as an inquiry and routes it to nobody', () => {
    const { emitted, state, changes } = given(routingState(), env({ policy: testPolicy({ mql }) })).when(created({ score: 40 }));
    expect(emitted).toEqual([expect.objectContaining({ type: 'LeadInquiryRecorded', leadId: 'lead-1', data: { source: 'webinar', score: 40, minScore: 60, policyVersion: 'test-1' } })]);
    expect(state.leads.get('lead-1')).toMatchObject({ ownerRepId: null, released: 'inquiry' });
    expect(changes.capacity).toEqual([]);
    expect(changes.queueAdded).toEqual([]);
    expect(changes.notes).toEqual(['LeadCreated not routed: an inquiry (source webinar, score 40; the MQL threshold is a score of 60)']);
  });

  it('routes a lead at the threshold and a hand-raiser below it', () => {
    const e = env({ policy: testPolicy({ mql }) });
    expect(given(routingState(), e).when(created({ score: 60 })).emitted.map((x) => x.type)).toEqual(['LeadAssigned']);
    expect(given(routingState(), e).when(created({ source: 'demo-request', score: 5 })).emitted.map((x) => x.type)).toEqual(['LeadAssigned']);
  });

  it('routes every lead when the policy sets no threshold', () => {
    expect(given(routingState()).when(created({ score: 1 })).emitted.map((x) => x.type)).toEqual(['LeadAssigned']);
  });

  it('routes an inquiry that re-qualifies later (a new intent signal)', () => {
    const e = env({ policy: testPolicy({ mql }) });
    const inquiry = given(routingState(), e).when(created({ score: 40 }));
    const requalified = input('LeadRequalified', { trigger: 'signal', nurtureTrack: 'nurture', signalEventId: null, policyVersion: 'test-1' });
    expect(given(inquiry.state, e).when(requalified).emitted).toEqual([expect.objectContaining({ type: 'LeadAssigned', data: expect.objectContaining({ reason: 'requalified' }) })]);
  });
});
