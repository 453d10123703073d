import { explainAssignment, type DecisionRecord } from './assignment-explanation.util';
import { NOW, ownedLead, lead } from '../testing/routing.fixture';

const assigned = (repId: string, over: Record<string, unknown> = {}): DecisionRecord => ({
  kind: 'LeadAssigned',
  eventId: `e-${repId}`,
  causeEventId: 'c-1',
  decidedAt: NOW,
  data: { repId, teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: 'rule', reassignment: false, previousRepId: null, reassignmentCause: null, skipped: [], managerId: 'mgr-emea', policyVersion: 'v1', ...over },
});

describe('why was lead X assigned to Y', () => {
  it('names the rule, the pool, the skipped reps with their reasons and the policy version', () => {
    const e = explainAssignment('lead-1', 'assigned', ownedLead('emea', ['ben']), [assigned('ben', { skipped: [{ repId: 'ava', reason: 'pto' }] })], null);
    expect(e.summary).toBe(
      'Lead lead-1 is owned by ben: round robin in the pool its routing rule picked (rule emea, pool emea); skipped: ava (pto). Policy version v1.',
    );
    expect(e).toMatchObject({ rule: 'emea', pool: 'emea', skipped: [{ repId: 'ava', reason: 'pto' }], policyVersion: 'v1' });
  });

  it('explains the latest owner after a reassignment and keeps the owner history', () => {
    const history = [assigned('ava'), assigned('dev', { reason: 'reassignment', reassignment: true, previousRepId: 'ava', reassignmentCause: 'first_touch SLA breached', poolId: 'amer' })];
    const e = explainAssignment('lead-1', 'assigned', ownedLead('amer', ['ava', 'dev']), history, null);
    expect(e.summary).toMatch(/owned by dev: SLA fallback reassignment .*because first_touch SLA breached/);
    expect(e.owners.map((o) => o.repId)).toEqual(['ava', 'dev']);
    expect(e.decisions).toHaveLength(2);
    expect(e.decisions[1]).toMatchObject({ kind: 'LeadAssigned', eventId: 'e-dev', cause: { eventId: 'c-1' } });
    expect(e.decisions[1].cause).not.toHaveProperty('type');
  });

  it('says why a lead has no owner', () => {
    const note: DecisionRecord = { kind: 'Note', eventId: null, causeType: 'LeadCreated', causeEventId: 'c-1', decidedAt: NOW, data: { note: 'LeadCreated not routed: its contact is suppressed since lead lead-0 (consent withdrawn)' } };
    expect(explainAssignment('lead-1', 'suppressed', lead({ released: 'suppressed' }), [note], null).summary).toBe(
      'Lead lead-1 has no owner (suppressed): LeadCreated not routed: its contact is suppressed since lead lead-0 (consent withdrawn).',
    );
    expect(explainAssignment('lead-1', 'suppressed', lead({ released: 'suppressed' }), [note], null).decisions[0].cause).toEqual({ type: 'LeadCreated', eventId: 'c-1' });
  });

  it('never answers with the contact key, also from notes written when they still named it', () => {
    const suppressedLead = lead({ released: 'suppressed' });
    const old: DecisionRecord = { kind: 'Note', eventId: null, causeType: 'LeadCreated', causeEventId: 'c-1', decidedAt: NOW, data: { note: `LeadCreated not routed: contact "${suppressedLead.contactKey}" is suppressed` } };
    const e = explainAssignment('lead-1', 'suppressed', suppressedLead, [old], null);
    expect(e.summary).toBe('Lead lead-1 has no owner (suppressed): LeadCreated not routed: contact "[contact]" is suppressed.');
    expect(e.decisions[0]).toMatchObject({ note: 'LeadCreated not routed: contact "[contact]" is suppressed' });
    expect(JSON.stringify(e)).not.toContain(suppressedLead.contactKey);
  });
});
