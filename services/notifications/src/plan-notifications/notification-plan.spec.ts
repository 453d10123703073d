import type { LeadEvent } from '@lead-sla/contracts';
import { makeEvent } from '@lead-sla/testing';
import { NotifiableEventTypes } from '../notifications-config';
import { planNotifications } from './notification-plan';

const math = { startedAt: '2026-11-24T10:00:00.000Z', coverageStart: '2026-11-24T10:00:00.000Z', coverageMinutes: 10, deadline: '2026-11-24T10:10:00.000Z', calendarId: 'always-on', timeZone: 'UTC' };
const clockFacts = { clockId: 'c1', clock: 'first_touch' as const, tier: 'hot', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'p1' };
const all = { channels: ['slack', 'webhook'] as const, eventTypes: NotifiableEventTypes };
const assigned = (reassignment: boolean) =>
  makeEvent('LeadAssigned', 'lead-1', {
    repId: 'ben', teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: reassignment ? 'reassignment' : 'rule', reassignment,
    previousRepId: reassignment ? 'ava' : null, reassignmentCause: reassignment ? 'first_touch SLA breached' : null, skipped: [], managerId: 'mgr-emea', policyVersion: 'p1',
  }) as LeadEvent;

describe('planning notifications', () => {
  it('tells the owner and the manager about a breach on every configured channel, with stable delivery ids', () => {
    const breach = makeEvent('SlaBreached', 'lead-1', clockFacts) as LeadEvent;
    const plan = planNotifications(breach, all);
    expect(plan.map((p) => `${p.channel}:${p.recipient}:${p.role}`)).toEqual(['slack:ava:owner', 'slack:mgr-emea:manager', 'webhook:ava:owner', 'webhook:mgr-emea:manager']);
    expect(planNotifications(breach, all).map((p) => p.deliveryId)).toEqual(plan.map((p) => p.deliveryId));
    expect(plan[0].payload).toMatchObject({ kind: 'sla.breached', leadId: 'lead-1', details: { clock: 'first_touch', deadline: math.deadline } });
  });

  it('notifies a reassignment to the new owner, the manager and the previous owner, but not an initial assignment', () => {
    expect(planNotifications(assigned(true), { ...all, channels: ['webhook'] }).map((p) => p.role)).toEqual(['owner', 'manager', 'previous_owner']);
    expect(planNotifications(assigned(false), all)).toEqual([]);
  });

  it('delivers nothing when no channel is configured or the event type is switched off', () => {
    const warning = makeEvent('SlaWarning', 'lead-1', { ...clockFacts, warnAt: math.startedAt }) as LeadEvent;
    expect(planNotifications(warning, { channels: [], eventTypes: NotifiableEventTypes })).toEqual([]);
    expect(planNotifications(warning, { channels: ['slack'], eventTypes: ['SlaBreached'] })).toEqual([]);
  });

  it('sends one notification to a person who is both owner and manager', () => {
    const breach = makeEvent('SlaEscalated', 'lead-1', { ...clockFacts, managerId: 'ava', step: 1, action: 'escalate_manager' as const, lastStep: false }) as LeadEvent;
    expect(planNotifications(breach, { ...all, channels: ['slack'] })).toHaveLength(1);
  });
});
