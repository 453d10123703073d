import { readFileSync } from 'node:fs';
import { Topics } from '@lead-sla/contracts';
import { withKafkaAdmin } from '@lead-sla/messaging';
import { eventsOf, leadCreatedData, readTopic, uniqueName, withPg } from '@lead-sla/testing';
import { startTestPlatform, type TestPlatform } from './platform-harness';

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef0123456789';

describe('edges end to end: HTTP ingest → every service, one trace; metrics; graceful shutdown', () => {
  let p: TestPlatform;
  let ingestKey: string;

  beforeAll(async () => {
    p = await startTestPlatform(undefined, { INGEST_ADMIN_KEY: ADMIN_KEY });
    const res = await fetch(p.url('ingest', '/v1/api-keys'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ name: 'e2e-crm', scopes: ['ingest', 'read'] }),
    });
    expect(res.status).toBe(201);
    ingestKey = ((await res.json()) as { key: string }).key;
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('carries the trace of an ingested lead onto the LeadAssigned it caused, and onto everything after it', async () => {
    const leadId = uniqueName('lead-traced');
    const res = await fetch(p.url('ingest', '/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}`, 'idempotency-key': leadId },
      body: JSON.stringify({ leadId, data: leadCreatedData({ territory: 'emea', intentTier: 'hot' }) }),
    });
    expect(res.status).toBe(202);
    const { traceId, eventId } = (await res.json()) as { traceId: string; eventId: string };
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const messages = await readTopic(p.kafka, Topics.leadEvents, (ms) => eventsOf(ms).some((e) => e.type === 'LeadAssigned' && e.leadId === leadId), 60_000);
    const forLead = messages.filter((m) => eventsOf([m])[0]?.leadId === leadId);
    const assigned = forLead.find((m) => eventsOf([m])[0].type === 'LeadAssigned');
    expect(assigned).toBeDefined();
    expect(eventsOf([assigned!])[0].causationId).toBe(eventId);
    expect(assigned!.headers.traceparent?.split('-')[1]).toBe(traceId);
    // Every event the services emitted about this lead continues the same trace.
    for (const m of forLead) expect({ type: eventsOf([m])[0].type, trace: m.headers.traceparent?.split('-')[1] }).toEqual({ type: eventsOf([m])[0].type, trace: traceId });
  });

  it('serves Prometheus metrics on every service, with consumer lag per partition where it consumes', async () => {
    for (const name of ['routing', 'timer', 'disposition', 'reporting', 'ingest', 'notifications'] as const) {
      const res = await fetch(p.url(name, '/metrics'));
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('http_server_request_duration_seconds');
      expect(text).toContain('lead_sla_outbox_backlog');
      if (name !== 'ingest') expect(text).toMatch(/lead_sla_consumer_lag\{[^}]*messaging_destination_partition_id="0"/);
    }
  });

  it('on SIGTERM finishes the batch in flight, commits it and exits 0', async () => {
    await p.publisher.publish(Array.from({ length: 50 }, () => makeLead()));
    await new Promise((r) => setTimeout(r, 300)); // let a batch be in flight
    const code = await p.platform.services.routing.stop('SIGTERM');
    expect(code).toBe(0);
    const stored = await withPg(async (pg) =>
      (await pg.query(`SELECT partition, next_offset::text AS next FROM routing.consumer_offsets WHERE group_id = 'lead-sla.routing' AND topic = $1`, [Topics.leadEvents])).rows as Array<{ partition: number; next: string }>,
    );
    const committed = await withKafkaAdmin(p.kafka, (admin) => admin.committedOffsets('lead-sla.routing', Topics.leadEvents));
    // Postgres holds the truth (DESIGN.md §3); Kafka's commit is a hint and may only lag it, never lead it.
    for (const row of stored) {
      const hint = committed.get(row.partition) ?? -1n;
      expect(hint <= BigInt(row.next)).toBe(true);
    }
    const log = readFileSync(p.platform.services.routing.logFile, 'utf8');
    expect(log).not.toMatch(/"level":"error"/);
  });
});

function makeLead() {
  const leadId = uniqueName('lead-shutdown');
  const at = new Date().toISOString();
  return { type: 'LeadCreated', version: 2, eventId: crypto.randomUUID(), occurredAt: at, recordedAt: at, leadId, correlationId: leadId, causationId: null, data: leadCreatedData() };
}
