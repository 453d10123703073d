import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Topics } from '@lead-sla/contracts';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';

const ADMIN_KEY = 'redaction-admin-key-0123456789abcdef012345';

/** The ways a contact detail could appear in a line: as given, and as bare digits for phones. */
function needles(contact: { email?: string; phone?: string }): string[] {
  return [contact.email, contact.email?.toLowerCase(), contact.phone, contact.phone?.replace(/\D/g, '')].filter((n): n is string => !!n && n.length >= 6);
}

/**
 * A UUID whose last segment is all digits, the shape a careless phone
 * pattern masks (…-00e[phone]); fresh per run, so the ingest log line of its
 * event is this run's.
 */
function digitTailedEventId(): string {
  return `${randomUUID().slice(0, 24)}${String(randomInt(1e11, 1e12))}`;
}

/** A mask inside or against an id-shaped token: part of an id taken for a contact detail. */
const MASK_IN_TOKEN = /[0-9a-fA-F][0-9a-fA-F-]*\[(?:phone|email)\]|\[(?:phone|email)\][0-9a-fA-F-]*[0-9a-fA-F]/g;

/** The trace id field of a JSON log line; undefined for other lines (a child's stderr, say). */
function traceIdOf(line: string): unknown {
  try {
    return line.startsWith('{') ? (JSON.parse(line) as { traceId?: unknown }).traceId : undefined;
  } catch {
    return undefined;
  }
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

  it('writes no test lead email address or phone number to any service log during a stream through the platform, and keeps every event id intact', async () => {
    const leads = Array.from({ length: 12 }, (_, i) => ({ leadId: uniqueName(`lead-pii-${i}`), eventId: digitTailedEventId(), data: leadCreatedData({ territory: i % 2 ? 'emea' : 'amer', intentTier: 'hot' }) }));
    const [viaHttp, viaKafka] = [leads.slice(0, 8), leads.slice(8)];
    for (const lead of viaHttp) {
      const res = await fetch(p.url('ingest', '/v1/leads'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, 'idempotency-key': lead.leadId },
        body: JSON.stringify(lead),
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ eventId: lead.eventId });
    }
    // A rejected request echoing contact data must not be logged with it either.
    const bad = await fetch(p.url('ingest', '/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ leadId: uniqueName('lead-bad'), eventId: digitTailedEventId(), data: { ...viaHttp[0].data, intentTier: viaHttp[0].data.contact.email } }),
    });
    expect(bad.status).toBe(400);
    await p.publisher.publish(viaKafka.map((l) => makeEvent('LeadCreated', l.leadId, l.data, { eventId: l.eventId })));
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
    const mangled: string[] = [];
    let traced = 0;
    const logs: Record<string, string> = {};
    let lines = 0;
    for (const service of Object.values(p.platform.services)) {
      const text = readFileSync(service.logFile, 'utf8');
      logs[service.name] = text;
      for (const line of text.split('\n')) {
        lines += 1;
        const found = contacts.find((c) => line.includes(c));
        if (found) leaks.push(`${service.name}: ${line.slice(0, 300)}`);
        for (const m of line.matchAll(MASK_IN_TOKEN)) mangled.push(`${service.name}: ${m[0]} in ${line.slice(0, 300)}`);
        const traceId = traceIdOf(line);
        if (traceId === undefined) continue;
        traced += 1;
        if (typeof traceId !== 'string' || !/^[0-9a-f]{32}$/.test(traceId)) mangled.push(`${service.name}: trace id ${String(traceId)}`);
      }
    }
    expect(lines).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
    // Ids stay whole: no mask inside or against an id-shaped token, every trace id is 32 hex digits, and the event ids ingest logged are there verbatim.
    expect(mangled).toEqual([]);
    expect(viaHttp.filter((l) => !logs.ingest.includes(`"eventId":"${l.eventId}"`)).map((l) => l.eventId)).toEqual([]);
    expect(traced).toBeGreaterThanOrEqual(viaHttp.length);
  });
});
