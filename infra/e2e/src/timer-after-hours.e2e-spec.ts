import { join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { parsePolicy, policyLookup } from '@lead-sla/policy';
import { addCoverage, coverageCalendarFor, isCovered, nextCoverageStart } from '@lead-sla/sla-clock';
import { readFileSync } from 'node:fs';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';
import { startWebhookInbox } from './webhook-inbox.fixture';

const policyFile = join(__dirname, '../policies/timer-after-hours.policy.yaml');
const policy = parsePolicy(readFileSync(policyFile, 'utf8'), policyFile);
const calendarPolicy = policyLookup.calendar(policy, 'emea-business');
const london = coverageCalendarFor(calendarPolicy);
const MINUTE = 60_000;

/** Now, or (when the test runs during London office hours) the first instant after today's close: the lead arrives after hours. */
function afterHoursInstant(): number {
  let t = Math.floor(Date.now() / 1000) * 1000;
  while (isCovered(london, t)) t += MINUTE;
  return t;
}

describe('timer end to end: an after-hours lead', () => {
  let p: TestPlatform;
  let leadChannel: Awaited<ReturnType<typeof startWebhookInbox>>;

  beforeAll(async () => {
    // The lead's channel (an email/SMS gateway) receives the acknowledgement in the words the operator set.
    leadChannel = await startWebhookInbox();
    p = await startTestPlatform(policyFile, {
      NOTIFY_LEAD_WEBHOOK_URL: leadChannel.url,
      NOTIFY_WEBHOOK_SECRET: 'timer-after-hours-e2e-secret',
      NOTIFY_ACKNOWLEDGEMENT_TEMPLATE: 'Thanks! We open {opensAt} ({timeZone}).',
    });
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
    leadChannel?.close();
  });

  it("acknowledges a lead that arrives after hours on arrival (the assign clock runs on its team's calendar) and tells the lead, not a rep", async () => {
    const leadId = uniqueName('lead-after-hours-created');
    const occurredAt = afterHoursInstant();
    await p.publisher.publish([makeEvent('LeadCreated', leadId, leadCreatedData({ territory: 'emea', intentTier: 'warm' }), { occurredAt: new Date(occurredAt).toISOString() })]);

    const events = eventsOf(
      await readTopic(p.kafka, Topics.leadEvents, (ms) => eventsOf(ms).some((e) => e.leadId === leadId && e.type === 'LeadAcknowledged'), 60_000),
    ).filter((e) => e.leadId === leadId);
    const opens = new Date(nextCoverageStart(london, occurredAt)).toISOString();
    expect(events.filter((e) => e.type === 'LeadAcknowledged').map((e) => e.data)).toEqual([{ calendarId: 'emea-business', timeZone: 'Europe/London', coverageStart: opens, policyVersion: 'timer-e2e-1' }]);
    const assign = events.find((e) => e.type === 'SlaClockStarted' && e.data.clock === 'assign');
    expect(assign?.data).toMatchObject({ ownerRepId: null, teamId: 'emea-sdr', managerId: 'mgr-emea', math: { calendarId: 'emea-business', coverageStart: opens } });

    const delivered = await waitFor(() => leadChannel.received.find((n) => n.leadId === leadId), 'the acknowledgement to reach the lead channel', 30_000);
    expect(delivered).toMatchObject({ kind: 'lead.acknowledged', recipient: { leadId, role: 'lead' }, text: expect.stringMatching(/^Thanks! We open .+ \(Europe\/London\)\.$/) });
    expect(leadChannel.received.filter((n) => n.leadId === leadId)).toHaveLength(1);
  });

  it('is acknowledged at once and its first-touch deadline is 10 coverage minutes after the next window opens', async () => {
    const leadId = uniqueName('lead-after-hours');
    const occurredAt = afterHoursInstant();
    // The assignment routing would publish; sent directly so the test pins the team (London office hours) and the instant.
    await p.publisher.publish([
      makeEvent('LeadAssigned', leadId, {
        repId: 'ava', teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: 'rule', reassignment: false, previousRepId: null,
        reassignmentCause: null, skipped: [], managerId: 'mgr-emea', policyVersion: 'timer-e2e-1',
      }, { occurredAt: new Date(occurredAt).toISOString() }),
    ]);

    const events = eventsOf(
      await readTopic(p.kafka, Topics.leadEvents, (ms) => {
        const es = eventsOf(ms).filter((e) => e.leadId === leadId);
        return es.some((e) => e.type === 'LeadAcknowledged') && es.some((e) => e.type === 'SlaClockStarted' && e.data.clock === 'first_touch');
      }, 60_000),
    ).filter((e) => e.leadId === leadId);

    const opens = nextCoverageStart(london, occurredAt);
    expect(opens).toBeGreaterThan(occurredAt);
    const expectedDeadline = addCoverage(london, occurredAt, 10);
    // Office windows are hours long, so 10 coverage minutes end 10 real minutes after the opening.
    expect(expectedDeadline).toBe(opens + 10 * MINUTE);

    const started = events.find((e) => e.type === 'SlaClockStarted' && e.data.clock === 'first_touch');
    expect(started?.data).toMatchObject({
      ownerRepId: 'ava',
      teamId: 'emea-sdr',
      managerId: 'mgr-emea',
      policyVersion: 'timer-e2e-1',
      math: {
        startedAt: new Date(occurredAt).toISOString(),
        coverageStart: new Date(opens).toISOString(),
        coverageMinutes: 10,
        deadline: new Date(expectedDeadline).toISOString(),
        calendarId: 'emea-business',
        timeZone: 'Europe/London',
      },
    });
    const ack = events.find((e) => e.type === 'LeadAcknowledged');
    expect(ack?.data).toEqual({ calendarId: 'emea-business', timeZone: 'Europe/London', coverageStart: new Date(opens).toISOString(), policyVersion: 'timer-e2e-1' });
    expect(events.filter((e) => e.type === 'SlaBreached')).toHaveLength(0);
  });
});
