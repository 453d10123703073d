import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { parsePolicy, policyLookup } from '@lead-sla/policy';
import { addCoverage, coverageCalendarFor, isCovered, nextCoverageStart } from '@lead-sla/sla-clock';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';
import { startWebhookInbox } from './webhook-inbox.fixture';

const MINUTE = 60_000;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** A version of its own: the windows follow the clock, and a changed document needs a new version (docs/policy.md). */
const AFTER_HOURS_VERSION = uniqueName('timer-e2e');

/**
 * The timer e2e policy with London office hours moved so that it is after
 * hours NOW: the services run on the real clock and routing decides as of
 * the moment it consumes the lead, so the lead must really arrive after
 * hours. Every day's window opens two hours after the current London hour
 * and lasts two hours (holidays kept).
 */
function afterHoursPolicyFile(): string {
  const template = readFileSync(join(__dirname, '../policies/timer-after-hours.policy.yaml'), 'utf8');
  const londonHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const open = (londonHour + 2) % 24;
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  const close = open + 2 <= 23 ? hh(open + 2) : '23:59';
  const windows = DAYS.map((day) => `      - { day: ${day}, open: "${hh(open)}", close: "${close}" }`).join('\n');
  const policyText = template
    .replace(/(  - id: emea-business\n    timeZone: Europe\/London\n    windows:\n)(      - .*\n)+/, `$1${windows}\n`)
    .replace(/^version: .*$/m, `version: "${AFTER_HOURS_VERSION}"`);
  if (policyText === template) throw new Error('timer-after-hours e2e: the emea-business calendar block was not found in timer-after-hours.policy.yaml');
  const file = join(mkdtempSync(join(tmpdir(), 'after-hours-')), 'timer-after-hours.policy.yaml');
  writeFileSync(file, policyText);
  return file;
}

const policyFile = afterHoursPolicyFile();
const policy = parsePolicy(readFileSync(policyFile, 'utf8'), policyFile);
const london = coverageCalendarFor(policyLookup.calendar(policy, 'emea-business'));

/** Now, rounded to the second: after hours under the shifted calendar above. */
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
    expect(events.filter((e) => e.type === 'LeadAcknowledged').map((e) => e.data)).toEqual([{ calendarId: 'emea-business', timeZone: 'Europe/London', coverageStart: opens, policyVersion: AFTER_HOURS_VERSION }]);
    const assign = events.find((e) => e.type === 'SlaClockStarted' && e.data.clock === 'assign');
    expect(assign?.data).toMatchObject({ ownerRepId: null, teamId: 'emea-sdr', managerId: 'mgr-emea', math: { calendarId: 'emea-business', coverageStart: opens } });

    const delivered = await waitFor(() => leadChannel.received.find((n) => n.leadId === leadId), 'the acknowledgement to reach the lead channel', 30_000);
    expect(delivered).toMatchObject({ kind: 'lead.acknowledged', recipient: { leadId, role: 'lead' }, text: expect.stringMatching(/^Thanks! We open .+ \(Europe\/London\)\.$/) });
    expect(leadChannel.received.filter((n) => n.leadId === leadId)).toHaveLength(1);
  });

  it('gets an owner at once from routing, is acknowledged, and its first-touch deadline is 10 coverage minutes after the next window opens', async () => {
    const leadId = uniqueName('lead-after-hours');
    // Only the outside fact: a lead for the EMEA pool (London office hours) arriving after hours. Routing and the timer decide the rest.
    await p.publisher.publish([makeEvent('LeadCreated', leadId, leadCreatedData({ territory: 'emea', intentTier: 'warm' }))]);

    const events = eventsOf(
      await readTopic(p.kafka, Topics.leadEvents, (ms) => {
        const es = eventsOf(ms).filter((e) => e.leadId === leadId);
        return es.some((e) => e.type === 'LeadAcknowledged') && es.some((e) => e.type === 'SlaClockStarted' && e.data.clock === 'first_touch');
      }, 60_000),
    ).filter((e) => e.leadId === leadId);

    // eventsOf types the envelope loosely; every envelope carries occurredAt (when routing decided).
    const assignedEnvelope = events.find((e) => e.type === 'LeadAssigned') as unknown as { occurredAt: string } | undefined;
    expect(assignedEnvelope).toBeDefined();
    const assignedAt = Date.parse(assignedEnvelope!.occurredAt);
    expect(isCovered(london, assignedAt)).toBe(false);
    // The owner is the EMEA pool's next rep, given at once although nobody of the pool is on shift (no overflow, no queue).
    const assigned = events.filter((e) => e.type === 'LeadAssigned');
    expect(assigned).toHaveLength(1);
    expect(events.filter((e) => e.type === 'LeadQueued')).toHaveLength(0);
    const owner = assigned[0].data as { repId: string; poolId: string; teamId: string; reason: string; skipped: unknown[] };
    expect(['ava', 'ben', 'cai']).toContain(owner.repId);
    expect(owner).toMatchObject({ poolId: 'emea', teamId: 'emea-sdr', reason: 'rule', skipped: [] });

    const opens = nextCoverageStart(london, assignedAt);
    expect(opens).toBeGreaterThan(assignedAt);
    const expectedDeadline = addCoverage(london, assignedAt, 10);
    // Office windows are hours long, so 10 coverage minutes end 10 real minutes after the opening.
    expect(expectedDeadline).toBe(opens + 10 * MINUTE);

    const started = events.find((e) => e.type === 'SlaClockStarted' && e.data.clock === 'first_touch');
    expect(started?.data).toMatchObject({
      ownerRepId: owner.repId,
      teamId: 'emea-sdr',
      managerId: 'mgr-emea',
      policyVersion: AFTER_HOURS_VERSION,
      math: {
        startedAt: new Date(assignedAt).toISOString(),
        coverageStart: new Date(opens).toISOString(),
        coverageMinutes: 10,
        deadline: new Date(expectedDeadline).toISOString(),
        calendarId: 'emea-business',
        timeZone: 'Europe/London',
      },
    });
    const ack = events.find((e) => e.type === 'LeadAcknowledged');
    expect(ack?.data).toEqual({ calendarId: 'emea-business', timeZone: 'Europe/London', coverageStart: new Date(opens).toISOString(), policyVersion: AFTER_HOURS_VERSION });
    expect(events.filter((e) => e.type === 'SlaBreached')).toHaveLength(0);
  });
});
