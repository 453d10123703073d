import { join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { parsePolicy, policyLookup } from '@lead-sla/policy';
import { addCoverage, coverageCalendarFor, isCovered, nextCoverageStart } from '@lead-sla/sla-clock';
import { readFileSync } from 'node:fs';
import { eventsOf, makeEvent, readTopic, uniqueName } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';

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

  beforeAll(async () => {
    p = await startTestPlatform(policyFile);
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
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
