import type { EscalationAction, LeadEvent } from '@lead-sla/contracts';
import { makeEvent } from '@lead-sla/testing';
import { NotifiableEventTypes } from '../notifications-config';
import { audienceOf, recipientIdOf, type ChannelName } from './notification-audience.rule';
import { policyWith, routesFor } from './notification-policy.fixture';
import { planNotifications, subjectOf } from './notification-plan';
import type { FallbackReviewDigest } from '../send-digests/digest-content';
import { digestSubject } from '../send-digests/digest.scheduler';

const review: FallbackReviewDigest = { kind: 'fallback-review', week: '2026-W49', from: '', to: '', teams: null, totals: { reassignments: 0, leads: 0 }, byRep: [], bySource: [] };

// The example policy's directory, plus Slack and quiet hours for ava (London nights).
const policy = policyWith((y) =>
  y.replace('  - { id: ava, email: ava@example.com }', '  - { id: ava, email: ava@example.com, slack: U0AVA0001, notify: { quietHours: { from: "20:00", to: "07:00" } } }'),
);
const everything: readonly ChannelName[] = ['slack', 'email', 'webhook'];
const bot = routesFor(everything, { bot: true });
const math = { startedAt: '2026-11-24T10:00:00.000Z', coverageStart: '2026-11-24T10:00:00.000Z', coverageMinutes: 10, deadline: '2026-11-24T10:10:00.000Z', calendarId: 'emea-business', timeZone: 'Europe/London' };
const facts = { clockId: 'c1', clock: 'first_touch' as const, tier: 'hot', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'p1' };
const breach = (over: Partial<typeof facts> = {}) => makeEvent('SlaBreached', 'lead-1', { ...facts, ...over }) as LeadEvent;
const step = (action: EscalationAction) => makeEvent('SlaEscalated', 'lead-1', { ...facts, step: 1, action, lastStep: false }) as LeadEvent;

/** "channel:recipient→address" for each member of the event's audience. */
function audience(event: LeadEvent, routes = bot, p = policy): string[] {
  const subject = subjectOf(event, p, '');
  return subject ? audienceOf(subject, p, routes).map((m) => `${m.channel}:${recipientIdOf(m.recipient)}→${m.address ?? '(url)'}`) : [];
}

describe('the audience of a notification, from the directory', () => {
  it("reaches the owner's Slack user and email, the manager's, and the team's channel, and each person by id on the generic webhook", () => {
    expect(audience(breach())).toEqual([
      'slack:ava→U0AVA0001',
      'slack:mgr-emea→U0EMEAMGR',
      'slack:team:emea-sdr→#emea-sdr',
      'email:ava→ava@example.com',
      'email:mgr-emea→emea.manager@example.com',
      'webhook:ava→(url)',
      'webhook:mgr-emea→(url)',
    ]);
  });

  it.each([
    ['remind_owner', ['slack:ava→U0AVA0001']],
    ['escalate_manager', ['slack:ava→U0AVA0001', 'slack:mgr-emea→U0EMEAMGR', 'slack:team:emea-sdr→#emea-sdr']],
    ['reassign', ['slack:ava→U0AVA0001', 'slack:mgr-emea→U0EMEAMGR', 'slack:team:emea-sdr→#emea-sdr']],
    ['schedule_touch_task', ['slack:ava→U0AVA0001']],
  ] as const)('Given a %s ladder step, When its audience is resolved, Then it is %j', (action, expected) => {
    const event = action === 'schedule_touch_task'
      ? (makeEvent('SlaEscalated', 'lead-1', { ...facts, clock: 'reply_escalation' as const, step: 1, action, lastStep: false, task: { dueAt: '2026-11-25T14:00:00.000Z', channels: ['phone' as const] } }) as LeadEvent)
      : step(action);
    expect(audience(event, routesFor(['slack'], { bot: true }))).toEqual(expected);
  });

  it('tells the owner and the manager of a warning, but not the team channel', () => {
    const warning = makeEvent('SlaWarning', 'lead-1', { ...facts, warnAt: math.startedAt }) as LeadEvent;
    expect(audience(warning, routesFor(['slack'], { bot: true }))).toEqual(['slack:ava→U0AVA0001', 'slack:mgr-emea→U0EMEAMGR']);
  });

  it('tells the new owner, the manager, the previous owner and the team of a reassignment; a rotation change only to the manager', () => {
    const reassigned = makeEvent('LeadAssigned', 'lead-1', {
      repId: 'ben', teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: 'reassignment', reassignment: true,
      previousRepId: 'ava', reassignmentCause: 'first_touch SLA breached', skipped: [], managerId: 'mgr-emea', policyVersion: 'p1',
    }) as LeadEvent;
    expect(audience(reassigned, routesFor(['slack'], { bot: true }))).toEqual(['slack:ben→U0BENSDR1', 'slack:mgr-emea→U0EMEAMGR', 'slack:ava→U0AVA0001', 'slack:team:emea-sdr→#emea-sdr']);
    const removed = makeEvent('RepRotationChanged', null, { repId: 'ben', inRotation: false, cause: 'sla_misses', misses: [], by: null, policyVersion: 'p1' }) as LeadEvent;
    expect(audience(removed, routesFor(['slack'], { bot: true }))).toEqual(['slack:mgr-emea→U0EMEAMGR']);
  });

  it("keeps to a person's chosen channels (ben: Slack only, though the directory has his email)", () => {
    expect(audience(breach({ ownerRepId: 'ben' }), routesFor(['email'], { bot: true }))).toEqual(['email:mgr-emea→emea.manager@example.com']);
    expect(audience(breach({ ownerRepId: 'ben' }), routesFor(['slack', 'email'], { bot: true }))[0]).toBe('slack:ben→U0BENSDR1');
  });

  it('reaches through per-channel incoming webhooks only the channels they were made for, and tells the others on the company webhook', () => {
    expect(audience(breach(), routesFor(['slack'], { channelWebhooks: ['#emea-sdr'], companyWebhook: true }))).toEqual([
      'slack:ava→(url)', 'slack:mgr-emea→(url)', 'slack:team:emea-sdr→#emea-sdr',
    ]);
    expect(audience(breach(), routesFor(['slack'], { channelWebhooks: ['#emea-sdr'], companyWebhook: false }))).toEqual(['slack:team:emea-sdr→#emea-sdr']);
  });

  it('tells someone without a directory entry on the company webhook, as before the directory', () => {
    expect(audience(breach({ ownerRepId: 'cai' }), routesFor(['slack', 'email'], { bot: true, companyWebhook: true })).slice(0, 1)).toEqual(['slack:cai→(url)']);
  });

  it("sends a team's mailing list what its channel gets", () => {
    expect(audience(breach({ ownerRepId: 'dev', teamId: 'amer-sdr', managerId: 'mgr-amer' }), routesFor(['email']))).toEqual([
      'email:mgr-amer→amer.manager@example.com', 'email:team:amer-sdr→amer-sdr@example.com',
    ]);
  });
});

describe('the digests\' audience', () => {
  it("sends a team's digest to its manager and the team's channel, and the company-wide review to the admin alone", () => {
    const team = digestSubject({ kind: 'fallback-review', teamId: 'emea-sdr', recipientId: 'mgr-emea', period: '2026-W49' }, review);
    expect(audienceOf(team, policy, routesFor(['slack', 'email'], { bot: true })).map((m) => `${m.channel}:${recipientIdOf(m.recipient)}:${m.recipient.role}`)).toEqual([
      'slack:mgr-emea:manager', 'slack:team:emea-sdr:team', 'email:mgr-emea:manager',
    ]);
    const all = digestSubject({ kind: 'fallback-review', teamId: null, recipientId: 'sales-ops', period: '2026-W49' }, review);
    expect(audienceOf(all, policy, routesFor(['slack', 'email'], { bot: true })).map((m) => `${m.channel}:${recipientIdOf(m.recipient)}:${m.recipient.role}`)).toEqual(['email:sales-ops:admin']);
  });
});

describe('quiet hours and the manager override', () => {
  const plan = (event: LeadEvent, now: string) =>
    planNotifications(event, { policy, routes: routesFor(['slack', 'webhook'], { bot: true }), eventTypes: NotifiableEventTypes, now: new Date(now) })
      .map((p) => `${p.channel}:${p.recipient}@${p.dueAt.toISOString()}`);

  it('Given a breach at 22:00 in London, Then the owner hears at 07:00, the manager (escalations: deliver) and the team channel at once', () => {
    expect(plan(breach(), '2026-11-24T22:00:00.000Z')).toEqual([
      'slack:ava@2026-11-25T07:00:00.000Z',
      'slack:mgr-emea@2026-11-24T22:00:00.000Z',
      'slack:team:emea-sdr@2026-11-24T22:00:00.000Z',
      'webhook:ava@2026-11-24T22:00:00.000Z',
      'webhook:mgr-emea@2026-11-24T22:00:00.000Z',
    ]);
  });

  it('Given a warning at 22:00, Then the manager waits for the morning too (a warning is no escalation)', () => {
    const warning = makeEvent('SlaWarning', 'lead-1', { ...facts, warnAt: math.startedAt }) as LeadEvent;
    expect(plan(warning, '2026-11-24T22:00:00.000Z').filter((p) => p.startsWith('slack:mgr-emea'))).toEqual(['slack:mgr-emea@2026-11-25T07:00:00.000Z']);
  });

  it('Given a manager who holds escalations (mgr-amer, 21:00–06:00 New York), Then an escalation at 22:00 there waits until 06:00 their time', () => {
    const event = makeEvent('SlaEscalated', 'lead-2', { ...facts, ownerRepId: 'dev', teamId: 'amer-sdr', managerId: 'mgr-amer', step: 1, action: 'escalate_manager' as const, lastStep: false }) as LeadEvent;
    expect(plan(event, '2026-11-25T03:00:00.000Z').filter((p) => p.startsWith('slack:mgr-amer'))).toEqual(['slack:mgr-amer@2026-11-25T11:00:00.000Z']);
  });
});
