import { readFileSync } from 'node:fs';
import { Topics } from '@lead-sla/contracts';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';

const ADMIN_KEY = 'redaction-admin-key-0123456789abcdef012345';

/** The ways a contact detail could appear in a line: as given, and as bare digits for phones. */
function needles(contact: { email?: string; phone?: string }): string[] {
  return [contact.email, contact.email?.toLowerCase(), contact.phone, contact.phone?.replace(/\D/g, '')].filter((n): n is string => !!n && n.length >= 6);
}

describe('logs never contain contact details', () => {
  let p: TestPlatform;

  beforeAll(async () => {
    // debug: the most verbose logs are the ones most likely to leak.
    p = await startTestPlatform(undefined, { INGEST_ADMIN_KEY: ADMIN_KEY, LOG_LEVEL: 'debug' });
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('writes no test lead email address or phone number to any service log during a stream through the platform', async () => {
    const leads = Array.from({ length: 12 }, (_, i) => ({ leadId: uniqueName(`lead-pii-${i}`), data: leadCreatedData({ territory: i % 2 ? 'emea' : 'amer', intentTier: 'hot' }) }));
    const [viaHttp, viaKafka] = [leads.slice(0, 8), leads.slice(8)];
    for (const lead of viaHttp) {
      const res = await fetch(p.url('ingest', '/v1/leads'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, 'idempotency-key': lead.leadId },
        body: JSON.stringify(lead),
      });
      expect(res.status).toBe(202);
    }
    // A rejected request echoing contact data must not be logged with it either.
    const bad = await fetch(p.url('ingest', '/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ leadId: uniqueName('lead-bad'), data: { ...viaHttp[0].data, intentTier: viaHttp[0].data.contact.email } }),
    });
    expect(bad.status).toBe(400);
    await p.publisher.publish(viaKafka.map((l) => makeEvent('LeadCreated', l.leadId, l.data)));
    // An invalid event carrying contact details goes to the dead-letter topic and is logged there.
    await p.publisher.publishRaw([{ key: 'lead-invalid', value: JSON.stringify({ ...makeEvent('LeadCreated', 'lead-invalid', viaKafka[0].data), data: { ...viaKafka[0].data, tier: 'x' } }) }]);

    const ids = new Set(leads.map((l) => l.leadId));
    await readTopic(p.kafka, Topics.leadEvents, (ms) => eventsOf(ms).filter((e) => e.type === 'LeadAssigned' && ids.has(e.leadId ?? '')).length >= leads.length, 90_000);
    // The 6-second first-touch clocks breach, so timer, routing and notifications log too.
    await waitFor(async () => {
      const ms = await readTopic(p.kafka, Topics.leadEvents, (all) => eventsOf(all).some((e) => e.type === 'SlaBreached' && ids.has(e.leadId ?? '')), 5000);
      return eventsOf(ms).some((e) => e.type === 'SlaBreached' && ids.has(e.leadId ?? ''));
    }, 'a breach of one of the stream leads', 60_000, 500).catch(() => undefined);
    await p.stop();

    const contacts = leads.flatMap((l) => needles(l.data.contact));
    const leaks: string[] = [];
    let lines = 0;
    for (const service of Object.values(p.platform.services)) {
      const text = readFileSync(service.logFile, 'utf8');
      for (const line of text.split('\n')) {
        lines += 1;
        const found = contacts.find((c) => line.includes(c));
        if (found) leaks.push(`${service.name}: ${line.slice(0, 300)}`);
      }
    }
    expect(lines).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });
});
