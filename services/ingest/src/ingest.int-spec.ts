import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { deterministicId, Topics } from '@lead-sla/contracts';
import { runMigrations, startTelemetry, stopTelemetry } from '@lead-sla/platform';
import { dataSourceFor, loadRuntimeConfig, openApiFileOf, serviceApplication, ServiceMetrics } from '@lead-sla/service-runtime';
import { eventsOf, leadCreatedData, readTopic, testKafka, uniqueName, withPg } from '@lead-sla/testing';
import { IdempotencyPruner } from './accept-event/idempotency-pruner';
import { AdminBootstrap } from './api-keys/admin-bootstrap';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { IngestModule, ingestService } from './ingest.module';

const ADMIN_KEY = 'int-admin-key-0123456789abcdef0123456789';

describe('HTTP ingest on real Kafka and Postgres', () => {
  let app: INestApplication;
  let url: string;
  const kafka = testKafka();

  beforeAll(async () => {
    // As main.ts does through ./tracing: without a tracer provider there is no trace to carry.
    startTelemetry('ingest');
    Object.assign(process.env, {
      POLICY_FILE: join(__dirname, '../../../infra/e2e/policies/e2e.policy.yaml'),
      INGEST_ADMIN_KEY: ADMIN_KEY,
      INGEST_MAX_BODY_BYTES: '4096',
      LOG_LEVEL: 'warn',
    });
    const dataSource = dataSourceFor(ingestService, loadRuntimeConfig());
    await runMigrations(dataSource, 'ingest');
    await dataSource.destroy();
    app = await NestFactory.create(await serviceApplication(ingestService, IngestModule), { bodyParser: false, logger: false });
    app.use(app.get(ServiceMetrics).httpMiddleware());
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await stopTelemetry();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  /**
   * Sends the request head and only the first bytes of the body from a given
   * loopback address (Linux routes all of 127/8 to lo), and answers the status
   * line and headers the server sends before the rest of the body exists.
   */
  function partialPost(from: string, path: string, headers: Record<string, string>, bodyStart: string): Promise<{ status: number; head: string }> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port), localAddress: from });
      let received = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer from ingest within 5 s to a partial body (so far: ${JSON.stringify(received)})`));
      }, 5000);
      socket.on('connect', () => {
        const head = Object.entries({ host: `${hostname}:${port}`, 'content-type': 'application/json', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
        socket.write(`POST ${path} HTTP/1.1\r\n${head.join('')}\r\n${bodyStart}`);
      });
      socket.on('data', (chunk) => {
        received += chunk.toString('utf8');
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(received.split(' ')[1]), head: received.slice(0, end).toLowerCase() });
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }
  async function createKey(scopes: string[], limits: { ratePerSecond?: number; burst?: number } = {}): Promise<string> {
    const res = await post('/v1/api-keys', { name: uniqueName('client'), scopes, ...limits }, auth(ADMIN_KEY));
    expect(res.status).toBe(201);
    return ((await res.json()) as { key: string }).key;
  }

  it('publishes a retried request with the same Idempotency-Key once, and answers it the same way', async () => {
    const key = await createKey(['ingest', 'read']);
    const leadId = uniqueName('lead-idem');
    const body = { leadId, data: leadCreatedData() };
    const headers = { ...auth(key), 'idempotency-key': `create-${leadId}` };
    const first = await post('/v1/leads', body, headers);
    expect(first.status).toBe(202);
    const answer = (await first.json()) as { eventId: string; traceId: string };
    const retries = await Promise.all([post('/v1/leads', body, headers), post('/v1/leads', body, headers)]);
    for (const r of retries) {
      expect(r.status).toBe(202);
      expect(r.headers.get('idempotent-replayed')).toBe('true');
      expect(await r.json()).toEqual(answer);
    }
    const conflict = await post('/v1/leads', { ...body, data: { ...body.data, segment: 'enterprise' } }, headers);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: 'idempotency_key_reused', fields: ['Idempotency-Key'] });

    const messages = await readTopic(kafka, Topics.leadEvents, (ms) => eventsOf(ms).some((e) => e.leadId === leadId), 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    const again = await readTopic(kafka, Topics.leadEvents, () => false, 3000);
    expect(eventsOf(messages).filter((e) => e.leadId === leadId)).toHaveLength(1);
    expect(eventsOf(again).filter((e) => e.leadId === leadId)).toHaveLength(1);
    const published = again.find((m) => eventsOf([m])[0]?.leadId === leadId)!;
    expect(published.headers.traceparent).toContain(answer.traceId);

    const status = await fetch(`${url}/v1/events/${answer.eventId}`, { headers: auth(key) });
    expect(await status.json()).toMatchObject({ eventId: answer.eventId, leadId, published: true });
  });

  it('answers 401 for a missing or unknown key, 403 for a key without the scope, 429 with Retry-After over the rate limit', async () => {
    const body = { leadId: uniqueName('lead-auth'), data: leadCreatedData() };
    expect((await post('/v1/leads', body)).status).toBe(401);
    expect((await post('/v1/leads', body, auth('lsk_nope_not-a-real-key'))).status).toBe(401);
    const reader = await createKey(['read']);
    const forbidden = await post('/v1/leads', body, auth(reader));
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { message: string }).message).toMatch(/lacks the "ingest" scope/);

    const limited = await createKey(['ingest'], { ratePerSecond: 0.5, burst: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/v1/leads', { leadId: uniqueName('lead-rate'), data: leadCreatedData() }, auth(limited))).status);
    expect(statuses).toEqual([202, 202, 429]);
    const over = await post('/v1/leads', body, auth(limited));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('answers an unauthenticated request 401 before reading its body, whatever its size', async () => {
    const small = await partialPost('127.0.0.4', '/v1/leads', { 'content-length': '4000' }, '{"leadId":');
    expect(small.status).toBe(401);
    expect(small.head).toContain('connection: close');
    const huge = await partialPost('127.0.0.4', '/v1/leads', { 'content-length': String(50 * 1024 * 1024), ...auth('lsk_nope_not-a-real-key') }, '{"leadId":');
    expect(huge.status).toBe(401);
  });

  it('throttles a flood of bad keys per client address with 429 and Retry-After, without a database lookup per request', async () => {
    const good = await createKey(['ingest']);
    const lookups = jest.spyOn(app.get(ApiKeyRepository), 'findActiveByKey');
    try {
      const answers = [];
      for (let i = 0; i < 60; i++) answers.push(await partialPost('127.0.0.2', '/v1/leads', { 'content-length': '2', ...auth(`lsk_flood_${i}`) }, '{}'));
      expect(lookups.mock.calls.length).toBeLessThanOrEqual(20);
      expect(answers.slice(0, 20).every((a) => a.status === 401)).toBe(true);
      expect(answers.slice(20).every((a) => a.status === 429)).toBe(true);
      expect(answers[59].head).toMatch(/retry-after: [1-9]/);
      // Only that address is throttled.
      expect((await post('/v1/leads', { leadId: uniqueName('lead-flood'), data: leadCreatedData() }, auth(good))).status).toBe(202);
    } finally {
      lookups.mockRestore();
    }
  });

  it('rejects bad requests with a 4xx naming the field: invalid event 400, malformed JSON 400, too large 413, not JSON 415', async () => {
    const key = await createKey(['ingest']);
    const invalid = await post('/v1/events', { type: 'LeadCreated', leadId: 'lead-x', data: { ...leadCreatedData(), intentTier: 'lukewarm' } }, auth(key));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: 'invalid_event', fields: ['data.intentTier'], message: expect.stringContaining('LeadCreated v2 invalid: data.intentTier') });
    const wrongType = await post('/v1/events', { type: 'SlaBreached', leadId: 'lead-x', data: {} }, auth(key));
    expect(await wrongType.json()).toMatchObject({ fields: ['type'] });
    const malformed = await post('/v1/events', '{"type": ', auth(key));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toBe('invalid_json');
    const big = await post('/v1/leads', { leadId: 'lead-big', data: { ...leadCreatedData(), source: 'x'.repeat(5000) } }, auth(key));
    expect(big.status).toBe(413);
    const text = await fetch(`${url}/v1/leads`, { method: 'POST', headers: { 'content-type': 'text/plain', ...auth(key) }, body: 'hi' });
    expect(text.status).toBe(415);
  });

  it('serves its OpenAPI document (generated from the controllers, as checked in) and Prometheus metrics', async () => {
    expect(await (await fetch(`${url}/openapi.json`)).json()).toEqual(JSON.parse(readFileSync(openApiFileOf('ingest'), 'utf8')));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('http_server_request_duration_seconds_bucket');
    expect(metrics).toMatch(/route="\/v1\/leads"/);
    expect(metrics).toContain('lead_sla_outbox_backlog');
    await withPg(async (pg) => {
      const { rows } = await pg.query(`SELECT key_hash FROM ingest.api_keys WHERE id = 'bootstrap-admin'`);
      expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].key_hash).not.toContain(ADMIN_KEY);
    });
  });

  it('forgets old idempotency records, and a retry after that still publishes nothing', async () => {
    const key = await createKey(['ingest']);
    const leadId = uniqueName('lead-pruned');
    const body = { leadId, data: leadCreatedData() };
    const headers = { ...auth(key), 'idempotency-key': `create-${leadId}` };
    expect((await post('/v1/leads', body, headers)).status).toBe(202);
    await withPg((pg) => pg.query(`UPDATE ingest.idempotency_keys SET created_at = now() - interval '400 hours' WHERE idempotency_key = $1`, [`create-${leadId}`]));
    expect(await app.get(IdempotencyPruner).prune()).toBeGreaterThanOrEqual(1);
    const late = await post('/v1/leads', body, headers);
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ status: 'duplicate', leadId });
    const messages = await readTopic(kafka, Topics.leadEvents, () => false, 3000);
    expect(eventsOf(messages).filter((e) => e.leadId === leadId)).toHaveLength(1);
  });

  it('refuses occurredAt too far ahead or, without the backfill scope, too far back, naming the bound', async () => {
    const ingestOnly = await createKey(['ingest']);
    const backfill = await createKey(['ingest', 'backfill']);
    const touch = (occurredAt: string) => ({ occurredAt, data: { repId: 'ava', channel: 'phone', personal: true } });
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

    const backdated = await post(`/v1/leads/${uniqueName('lead-old')}/touches`, touch(hoursAgo(100)), auth(ingestOnly));
    expect(backdated.status).toBe(400);
    expect(await backdated.json()).toMatchObject({ error: 'invalid_event', fields: ['occurredAt'], message: expect.stringMatching(/72 h \(INGEST_MAX_BACKDATE_HOURS\).*"backfill" scope/) });
    expect((await post(`/v1/leads/${uniqueName('lead-old')}/touches`, touch(hoursAgo(100)), auth(backfill))).status).toBe(202);
    expect((await post(`/v1/leads/${uniqueName('lead-recent')}/touches`, touch(hoursAgo(71)), auth(ingestOnly))).status).toBe(202);

    const future = await post(`/v1/leads/${uniqueName('lead-future')}/touches`, touch(hoursAgo(-1)), auth(backfill));
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ fields: ['occurredAt'], message: expect.stringContaining('300000 ms (INGEST_MAX_FUTURE_SKEW_MS) ahead') });
  });

  it('refuses a client-chosen event id shaped like the ids the platform derives, and publishes a random one as sent', async () => {
    const key = await createKey(['ingest', 'read']);
    const leadId = uniqueName('lead-client-id');
    const platformShaped = await post('/v1/events', { type: 'LeadCreated', leadId, eventId: deterministicId(leadId, 'assign'), data: leadCreatedData() }, auth(key));
    expect(platformShaped.status).toBe(400);
    expect(await platformShaped.json()).toMatchObject({ error: 'invalid_event', fields: ['eventId'], message: expect.stringContaining('version-5') });

    const clientId = randomUUID();
    const first = await post('/v1/events', { type: 'LeadCreated', leadId, eventId: clientId, data: leadCreatedData() }, auth(key));
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ eventId: clientId });
    const found = await fetch(`${url}/v1/events/${clientId}`, { headers: auth(key) });
    expect(await found.json()).toMatchObject({ eventId: clientId, leadId });
    const messages = await readTopic(kafka, Topics.leadEvents, (ms) => eventsOf(ms).some((e) => e.leadId === leadId), 20_000);
    expect(eventsOf(messages).filter((e) => e.leadId === leadId).map((e) => e.eventId)).toEqual([clientId]);
  });

  // Last: it revokes the admin key the other tests use.
  it('creates the bootstrap admin key once and never re-activates it after revocation', async () => {
    const installed = () => withPg(async (pg) => (await pg.query(`SELECT created_at, revoked_at FROM ingest.api_keys WHERE id = 'bootstrap-admin'`)).rows[0] as { created_at: Date; revoked_at: Date | null });
    const before = await installed();
    await app.get(AdminBootstrap).onApplicationBootstrap();
    expect(await installed()).toEqual(before);

    const revoked = await fetch(`${url}/v1/api-keys/bootstrap-admin`, { method: 'DELETE', headers: auth(ADMIN_KEY) });
    expect(revoked.status).toBe(204);
    await app.get(AdminBootstrap).onApplicationBootstrap();
    expect((await installed()).revoked_at).not.toBeNull();
    const refused = await fetch(`${url}/v1/api-keys`, { headers: auth(ADMIN_KEY) });
    expect(refused.status).toBe(401);
  });
});
