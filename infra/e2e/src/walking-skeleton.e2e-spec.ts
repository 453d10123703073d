import { Topics } from '@lead-sla/contracts';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';
import { getJson, startTestPlatform, type TestPlatform } from './platform-harness';

describe('walking skeleton: created → assigned → breached → reported', () => {
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform();
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('assigns a lead, breaches its untouched first-touch clock and shows both in the reporting API; a touched lead shows no breach', async () => {
    const untouched = uniqueName('lead-untouched');
    const touched = uniqueName('lead-touched');
    await p.publisher.publish([
      makeEvent('LeadCreated', untouched, leadCreatedData({ territory: 'emea', intentTier: 'hot' })),
      makeEvent('LeadCreated', touched, leadCreatedData({ territory: 'emea', intentTier: 'hot' })),
    ]);

    const assigned = await readTopic(p.kafka, Topics.leadEvents, (ms) =>
      eventsOf(ms).filter((e) => e.type === 'LeadAssigned' && (e.leadId === untouched || e.leadId === touched)).length >= 2,
    );
    const assignments = eventsOf(assigned).filter((e) => e.type === 'LeadAssigned' && (e.leadId === untouched || e.leadId === touched));
    expect(assignments).toHaveLength(2);
    const touchedOwner = assignments.find((e) => e.leadId === touched)!.data.repId as string;
    expect(['ava', 'ben', 'cai']).toContain(touchedOwner);

    // The owner touches one lead within the 6-second first-touch clock.
    await p.publisher.publish([makeEvent('LeadTouched', touched, { repId: touchedOwner, channel: 'phone', direction: 'outbound', personal: true, automated: false })]);

    const breaches = await readTopic(p.kafka, Topics.leadEvents, (ms) => eventsOf(ms).some((e) => e.type === 'SlaBreached' && e.leadId === untouched), 60_000);
    const breach = eventsOf(breaches).find((e) => e.type === 'SlaBreached' && e.leadId === untouched)!;
    expect(breach.data).toMatchObject({ clock: 'first_touch', policyVersion: 'e2e-1', math: { coverageMinutes: 0.1, calendarId: 'always-on' } });

    const row = await waitFor(async () => {
      const r = await getJson(p.url('reporting', `/api/leads/${untouched}`));
      const body = r.body as { assignedAt?: string; sla?: Record<string, { status: string }> } | null;
      return r.status === 200 && body?.sla?.first_touch?.status === 'breached' ? body : undefined;
    }, 'the reporting row of the untouched lead to show the breach');
    expect(row.assignedAt).toEqual(expect.any(String));

    // Give the touched lead's clock time to have fired if the touch had not stopped it.
    await new Promise((r) => setTimeout(r, 8000));
    const touchedRow = await getJson(p.url('reporting', `/api/leads/${touched}`));
    expect(touchedRow.status).toBe(200);
    expect((touchedRow.body as { sla: Record<string, { status: string }> }).sla.first_touch.status).toBe('met');
    const all = eventsOf(await readTopic(p.kafka, Topics.leadEvents, () => false, 3000));
    expect(all.filter((e) => e.type === 'SlaBreached' && e.leadId === touched)).toHaveLength(0);
  });
});
