import { env, ownedLead, routingState, testPolicy } from '../testing/routing.fixture';
import { given, input } from '../testing/routing.harness';

const math = { startedAt: '2026-11-24T10:00:00.000Z', coverageStart: '2026-11-24T10:00:00.000Z', coverageMinutes: 10, deadline: '2026-11-24T10:00:00.000Z', calendarId: 'always', timeZone: 'UTC' };
const dispositioned = (eventId: string, nextStep?: string) => input('LeadDispositioned', { actor: null, repId: 'ava', code: 'working', ...(nextStep ? { nextStep } : {}) }, 'lead-1', eventId);
const recorded = (dispositionEventId: string) =>
  input('DispositionRecorded', { repId: 'ava', code: 'working', dispositionEventId, closes: false, outcome: 'none', policyVersion: 'test-1' }, 'lead-1', `rec-${dispositionEventId}`);
const refused = (dispositionEventId: string) =>
  input('DispositionRejected', { repId: 'ava', code: 'working', dispositionEventId, problems: ['not the owner'], policyVersion: 'test-1' }, 'lead-1', `rej-${dispositionEventId}`);
const breach = input('SlaEscalated', { clockId: 'k1', clock: 'accept_reject', tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', step: 3, action: 'reassign', lastStep: true, math, policyVersion: 'test-1' });

describe('next action carried forward on LeadAssigned', () => {
  it('carries the next step of the last verified disposition to the new owner', () => {
    const s = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(dispositioned('d-1', 'call back Tuesday 10:00'), recorded('d-1')).state;
    const { emitted } = given(s).when(breach);
    expect(emitted.find((e) => e.type === 'LeadAssigned')?.data).toMatchObject({ repId: 'dev', nextAction: 'call back Tuesday 10:00' });
  });

  it('ignores a disposition until it is verified, and drops a refused one', () => {
    const pending = given(routingState({ leads: [ownedLead('emea', ['ava'])] })).when(dispositioned('d-1', 'send pricing'));
    expect(given(pending.state).when(breach).emitted.find((e) => e.type === 'LeadAssigned')?.data).not.toHaveProperty('nextAction');
    const refusedState = given(pending.state).when(refused('d-1')).state;
    expect(refusedState.leads.get('lead-1')).not.toHaveProperty('pendingNextSteps');
    expect(given(refusedState).when(breach).emitted.find((e) => e.type === 'LeadAssigned')?.data).not.toHaveProperty('nextAction');
  });

  it('keeps the latest verified next step', () => {
    const s = given(routingState({ leads: [ownedLead('emea', ['ava'])] }), env({ policy: testPolicy() })).when(
      dispositioned('d-1', 'send pricing'), recorded('d-1'), dispositioned('d-2', 'demo on Friday'), recorded('d-2'),
    ).state;
    expect(s.leads.get('lead-1')?.nextAction).toBe('demo on Friday');
  });

  it("carries the reply clock's open touch task to the new owner, until the owner does it", () => {
    const task = input('SlaEscalated', {
      clockId: 'k2', clock: 'reply_escalation', tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', step: 1, action: 'schedule_touch_task', lastStep: false,
      task: { dueAt: '2026-11-25T09:00:00.000Z', channels: ['phone', 'email'] }, math, policyVersion: 'test-1',
    });
    const open = given(routingState({ leads: [ownedLead('emea', ['ava'], { awaitingFirstTouch: false })] })).when(task).state;
    expect(given(open).when(breach).emitted.find((e) => e.type === 'LeadAssigned')?.data).toMatchObject({ nextAction: 'Touch task: reach the lead again by 2026-11-25T09:00:00.000Z on phone, email' });
    const done = given(open).when(input('LeadTouched', { repId: 'ava', channel: 'phone', direction: 'outbound', personal: true, automated: false })).state;
    expect(given(done).when(breach).emitted.find((e) => e.type === 'LeadAssigned')?.data).not.toHaveProperty('nextAction');
  });

  it('a disposition recorded after the task replaces it as the next action, and a later touch keeps it', () => {
    const task = input('SlaEscalated', {
      clockId: 'k2', clock: 'reply_escalation', tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', step: 1, action: 'schedule_touch_task', lastStep: false,
      task: { dueAt: '2026-11-25T09:00:00.000Z', channels: ['phone'] }, math, policyVersion: 'test-1',
    });
    const touch = input('LeadTouched', { repId: 'ava', channel: 'phone', direction: 'outbound', personal: true, automated: false });
    const s = given(routingState({ leads: [ownedLead('emea', ['ava'], { awaitingFirstTouch: false })] })).when(task, dispositioned('d-1', 'demo on Friday'), recorded('d-1'), touch).state;
    expect(s.leads.get('lead-1')?.nextAction).toBe('demo on Friday');
  });
});
