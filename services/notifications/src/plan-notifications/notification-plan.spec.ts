import type { LeadEvent } from '@lead-sla/contracts';
import { makeEvent } from '@lead-sla/testing';
import { NotifiableEventType, NotifiableEventTypes } from '../notifications-config';
import { notificationPolicy, routesFor } from './notification-policy.fixture';
import { planNotifications, type ChannelName } from './notification-plan';

const math = { startedAt: '2026-11-24T10:00:00.000Z', coverageStart: '2026-11-24T10:00:00.000Z', coverageMinutes: 10, deadline: '2026-11-24T10:10:00.000Z', calendarId: 'always-on', timeZone: 'UTC' };
const clockFacts = { clockId: 'c1', clock: 'first_touch' as const, tier: 'hot', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'p1' };
const all = { channels: ['slack', 'webhook'] as readonly ChannelName[], eventTypes: NotifiableEventTypes as readonly NotifiableEventType[] };
/** The example policy (gus managed by mgr-gus), the given channels configured as before the directory (Slack: the company webhook). */
const planFor = (event: LeadEvent, o: { channels: readonly ChannelName[]; eventTypes: readonly NotifiableEventType[]; acknowledgementTemplate?: string }) =>
  planNotifications(event, { policy: notificationPolicy, routes: routesFor(o.channels), eventTypes: o.eventTypes, now: new Date('2026-11-24T12:00:00.000Z'), acknowledgementTemplate: o.acknowledgementTemplate });
const misses = [
  { leadId: 'lead-1', clock: 'first_touch', breachedAt: '2026-11-24T10:10:00.000Z' },
  { leadId: 'lead-2', clock: 'accept', breachedAt: '2026-11-24T11:00:00.000Z' },
];
const rotation = (inRotation: boolean, repId = 'ava') =>
  makeEvent('RepRotationChanged', null, {
    repId, inRotation, cause: inRotation ? 'manager_reinstated' : 'sla_misses', misses: inRotation ? [] : misses, by: inRotation ? 'mgr-emea' : null, policyVersion: 'p1',
  }) as LeadEvent;
const assigned = (reassignment: boolean) =>
  makeEvent('LeadAssigned', 'lead-1', {
    repId: 'ben', teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: reassignment ? 'reassignment' : 'rule', reassignment,
    previousRepId: reassignment ? 'ava' : null, reassignmentCause: reassignment ? 'first_touch SLA breached' : null, skipped: [], managerId: 'mgr-emea', policyVersion: 'p1',
  }) as LeadEvent;

describe('planning notifications', () => {
  it('tells the owner and the manager about a breach on every configured channel, with stable delivery ids', () => {
    const breach = makeEvent('SlaBreached', 'lead-1', clockFacts) as LeadEvent;
    const plan = planFor(breach, all);
    expect(plan.map((p) => `${p.channel}:${p.recipient}:${p.role}`)).toEqual(['slack:ava:owner', 'slack:mgr-emea:manager', 'webhook:ava:owner', 'webhook:mgr-emea:manager']);
    expect(planFor(breach, all).map((p) => p.deliveryId)).toEqual(plan.map((p) => p.deliveryId));
    expect(plan[0].payload).toMatchObject({ kind: 'sla.breached', leadId: 'lead-1', details: { clock: 'first_touch', deadline: math.deadline } });
  });

  it('notifies a reassignment to the new owner, the manager and the previous owner, but not an initial assignment', () => {
    expect(planFor(assigned(true), { ...all, channels: ['webhook'] }).map((p) => p.role)).toEqual(['owner', 'manager', 'previous_owner']);
    expect(planFor(assigned(false), all)).toEqual([]);
  });

  it('delivers nothing when no channel is configured or the event type is switched off', () => {
    const warning = makeEvent('SlaWarning', 'lead-1', { ...clockFacts, warnAt: math.startedAt }) as LeadEvent;
    expect(planFor(warning, { channels: [], eventTypes: NotifiableEventTypes })).toEqual([]);
    expect(planFor(warning, { channels: ['slack'], eventTypes: ['SlaBreached'] })).toEqual([]);
  });

  it('sends one notification to a person who is both owner and manager', () => {
    const breach = makeEvent('SlaEscalated', 'lead-1', { ...clockFacts, managerId: 'ava', step: 1, action: 'escalate_manager' as const, lastStep: false }) as LeadEvent;
    expect(planFor(breach, { ...all, channels: ['slack'] })).toHaveLength(1);
  });

  describe('a rotation change', () => {
    it('tells only the rep\'s manager from the policy that the rep was removed, with the misses and how to reinstate', () => {
      const plan = planFor(rotation(false), all);
      expect(plan.map((p) => `${p.channel}:${p.recipient}:${p.role}`)).toEqual(['slack:mgr-emea:manager', 'webhook:mgr-emea:manager']);
      const { payload } = plan[0];
      expect(payload).toMatchObject({ kind: 'rep.removed_from_rotation', eventType: 'RepRotationChanged', leadId: null });
      expect(payload.details).toEqual({
        repId: 'ava', inRotation: false, cause: 'sla_misses', misses, reinstate: 'POST /api/reps/ava/reinstate on routing, signed in as mgr-emea (or an admin)', policyVersion: 'p1',
      });
      expect(payload.text).toBe(
        'Rep ava was taken out of rotation after 2 SLA misses: lead lead-1 (first_touch breached at 2026-11-24T10:10:00.000Z); ' +
          'lead lead-2 (accept breached at 2026-11-24T11:00:00.000Z). ' +
          'They get no new leads until you reinstate them: POST /api/reps/ava/reinstate on routing, signed in as mgr-emea (or an admin).',
      );
    });

    it('tells the manager briefly that the rep is back in rotation', () => {
      const plan = planFor(rotation(true), { ...all, channels: ['webhook'] });
      expect(plan).toHaveLength(1);
      expect(plan[0]).toMatchObject({ recipient: 'mgr-emea', role: 'manager', payload: { kind: 'rep.reinstated', text: 'Rep ava is back in rotation, reinstated by mgr-emea.' } });
    });

    it('uses the manager the policy gives the rep, and delivers nothing for a rep the policy does not know', () => {
      expect(planFor(rotation(false, 'gus'), { ...all, channels: ['slack'] }).map((p) => p.recipient)).toEqual(['mgr-gus']);
      expect(planFor(rotation(false, 'nobody'), all)).toEqual([]);
    });

    it('is switched off like any other type', () => {
      expect(planFor(rotation(false), { ...all, eventTypes: ['SlaBreached'] })).toEqual([]);
    });
  });

  describe('a ladder step: its audience follows its action', () => {
    const step = (action: 'remind_owner' | 'escalate_manager' | 'reassign') =>
      makeEvent('SlaEscalated', 'lead-1', { ...clockFacts, step: 1, action, lastStep: false }) as LeadEvent;
    it.each([
      ['remind_owner', ['ava:owner']],
      ['escalate_manager', ['ava:owner', 'mgr-emea:manager']],
      ['reassign', ['ava:owner', 'mgr-emea:manager']],
    ] as const)('Given a %s step, When it is planned, Then it goes to %j', (action, audience) => {
      expect(planFor(step(action), { ...all, channels: ['webhook'] }).map((p) => `${p.recipient}:${p.role}`)).toEqual(audience);
    });
    it("Given the reply clock's touch-task step, When it is planned, Then only the owner is told what to do by when, on which channels", () => {
      const task = makeEvent('SlaEscalated', 'lead-1', {
        ...clockFacts, clock: 'reply_escalation' as const, step: 1, action: 'schedule_touch_task' as const, lastStep: false, task: { dueAt: '2026-11-25T14:00:00.000Z', channels: ['phone' as const, 'email' as const] },
      }) as LeadEvent;
      const plan = planFor(task, { ...all, channels: ['webhook'] });
      expect(plan.map((p) => `${p.recipient}:${p.role}`)).toEqual(['ava:owner']);
      expect(plan[0].payload.text).toBe('Touch task: lead lead-1 has not replied; touch it again by 2026-11-25T14:00:00.000Z on more than one channel (phone, email).');
    });
  });

  describe("the unassigned queue's own clock", () => {
    const queueBreach = makeEvent('SlaBreached', 'lead-9', { ...clockFacts, clock: 'unassigned_queue' as const, ownerRepId: null, teamId: 'emea-sdr', managerId: 'mgr-emea' }) as LeadEvent;
    it("Given a queue breach, When planned with a queue channel, Then the pool's team manager and the queue channel hear of it", () => {
      const plan = planFor(queueBreach, { ...all, channels: ['webhook', 'queue'] });
      expect(plan.map((p) => `${p.channel}:${p.recipient}:${p.role}`)).toEqual(['webhook:mgr-emea:manager', 'queue:emea-sdr:queue']);
      expect(plan[1].payload.recipient).toEqual({ teamId: 'emea-sdr', role: 'queue' });
      expect(plan[0].payload.text).toMatch(/lead lead-9 has waited for an owner in team emea-sdr's queue/);
    });
    it('Given an owner clock breach, When planned, Then the queue channel hears nothing', () => {
      expect(planFor(makeEvent('SlaBreached', 'lead-1', clockFacts) as LeadEvent, { ...all, channels: ['queue'] })).toEqual([]);
    });
  });

  describe('the after-hours acknowledgement', () => {
    const ack = makeEvent('LeadAcknowledged', 'lead-7', { calendarId: 'london', timeZone: 'Europe/London', coverageStart: '2026-11-25T09:00:00.000Z', policyVersion: 'p1' }) as LeadEvent;
    it("Given an acknowledgement, When planned, Then only the lead's channel gets it, in the configured words with the local opening time", () => {
      const plan = planFor(ack, { ...all, channels: ['slack', 'webhook', 'lead'], acknowledgementTemplate: 'Hi! We open {opensAt} ({timeZone}). Ref {leadId}.' });
      expect(plan.map((p) => `${p.channel}:${p.recipient}:${p.role}`)).toEqual(['lead:lead-7:lead']);
      expect(plan[0].payload).toMatchObject({ kind: 'lead.acknowledged', recipient: { leadId: 'lead-7', role: 'lead' }, text: 'Hi! We open Wed 25 Nov, 09:00 (Europe/London). Ref lead-7.' });
    });
    it('Given no lead channel, When planned, Then nothing is delivered (never to the rep)', () => {
      expect(planFor(ack, all)).toEqual([]);
    });
  });
});
