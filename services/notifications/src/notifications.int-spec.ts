import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPublisher } from '@lead-sla/messaging';
import { runMigrations } from '@lead-sla/platform';
import { dataSourceFor, loadRuntimeConfig, serviceApplication, ServiceMetrics } from '@lead-sla/service-runtime';
import { makeEvent, publishTestPolicy, testKafka, uniqueName, waitFor, withPg } from '@lead-sla/testing';
import { NotificationChannels } from './deliver-notifications/notification-channels';
import { SignatureHeaders, verifyWebhook } from './deliver-notifications/webhook-signature.util';
import { loadNotificationsConfig } from './notifications-config';
import { NotificationsModule, notificationsService } from './notifications.module';

const SECRET = 'int-test-webhook-secret';

interface Received {
  delivery: string;
  status: number;
  body: { eventId: string; leadId: string | null; recipient: { repId: string; role: string }; kind: string; text: string; details: Record<string, unknown> };
  verified: boolean;
}

/** A webhook receiver on 127.0.0.1 that fails the first two attempts of each delivery. */
function flakyReceiver(failuresPerDelivery: number) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const delivery = String(req.headers[SignatureHeaders.delivery]);
      const n = (attempts.get(delivery) ?? 0) + 1;
      attempts.set(delivery, n);
      const body = JSON.parse(raw) as Received['body'];
      // Leads named lead_dead… model a receiver that never recovers.
      const status = n <= failuresPerDelivery || body.leadId?.startsWith('lead_dead') ? 503 : 200;
      const ts = Number(req.headers[SignatureHeaders.timestamp]);
      received.push({ delivery, status, body, verified: verifyWebhook(SECRET, ts, raw, String(req.headers[SignatureHeaders.signature]), Math.floor(Date.now() / 1000)) });
      res.statusCode = status;
      res.end();
    });
  });
  return { server, received };
}

describe('notifications on real Kafka and Postgres', () => {
  let app: INestApplication;
  let receiver: ReturnType<typeof flakyReceiver>;
  const kafka = testKafka();
  const publisher = new EventPublisher(kafka);

  beforeAll(async () => {
    receiver = flakyReceiver(2);
    await new Promise<void>((r) => receiver.server.listen(0, '127.0.0.1', r));
    const port = (receiver.server.address() as AddressInfo).port;
    // The rep's manager comes from the policy in force on the shared log: publish this spec's own version of it.
    const policy = await publishTestPolicy(kafka, join(__dirname, '../../../infra/e2e/policies/e2e.policy.yaml'), 'notify-int');
    Object.assign(process.env, {
      POLICY_FILE: policy.file,
      NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${port}/hooks/sla`,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      NOTIFY_RETRY_BASE_MS: '200',
      NOTIFY_POLL_INTERVAL_MS: '100',
      NOTIFY_MAX_ATTEMPTS: '4',
      LOG_LEVEL: 'warn',
    });
    const dataSource = dataSourceFor(notificationsService, loadRuntimeConfig());
    await runMigrations(dataSource, 'notifications');
    await dataSource.destroy();
    app = await NestFactory.create(await serviceApplication(notificationsService, NotificationsModule), { logger: false });
    await app.init();
    await publisher.connect();
  }, 60_000);
  afterAll(async () => {
    await publisher.disconnect();
    await app?.close();
    await new Promise((r) => receiver.server.close(r));
    for (const k of ['NOTIFY_WEBHOOK_URL', 'NOTIFY_WEBHOOK_SECRET', 'NOTIFY_RETRY_BASE_MS', 'NOTIFY_POLL_INTERVAL_MS', 'NOTIFY_MAX_ATTEMPTS']) delete process.env[k];
  });

  const math = { startedAt: '2026-11-24T10:00:00.000Z', coverageStart: '2026-11-24T10:00:00.000Z', coverageMinutes: 10, deadline: '2026-11-24T10:10:00.000Z', calendarId: 'always-on', timeZone: 'UTC' };

  it('delivers a breach to the owner and the manager once each, through a webhook that fails twice first, signed', async () => {
    const leadId = uniqueName('lead-notify');
    const breach = makeEvent('SlaBreached', leadId, { clockId: `${leadId}:first_touch`, clock: 'first_touch', tier: 'hot', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'e2e-1' });
    // The same event twice (a producer retry): still one notification per recipient.
    await publisher.publish([breach, breach]);

    const forLead = () => receiver.received.filter((r) => r.body.leadId === leadId);
    await waitFor(() => forLead().filter((r) => r.status === 200).length >= 2 || undefined, 'both deliveries to succeed', 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // room for any duplicate to show up

    const successes = forLead().filter((r) => r.status === 200);
    expect(successes.map((r) => `${r.body.recipient.role}:${r.body.recipient.repId}`).sort()).toEqual(['manager:mgr-emea', 'owner:ava']);
    expect(forLead()).toHaveLength(6); // 2 failures + 1 success, per recipient
    expect(forLead().every((r) => r.verified)).toBe(true);
    await withPg(async (pg) => {
      const { rows } = await pg.query(`SELECT recipient, status, attempts FROM notifications.deliveries WHERE lead_id = $1 ORDER BY recipient`, [leadId]);
      expect(rows).toEqual([
        { recipient: 'ava', status: 'sent', attempts: 3 },
        { recipient: 'mgr-emea', status: 'sent', attempts: 3 },
      ]);
    });
  });

  it('tells the rep\'s manager from the policy that the rep left rotation, with the misses, and then that they are back', async () => {
    const misses = [
      { leadId: uniqueName('lead-miss'), clock: 'first_touch', breachedAt: '2026-11-24T10:10:00.000Z' },
      { leadId: uniqueName('lead-miss'), clock: 'first_touch', breachedAt: '2026-11-24T10:20:00.000Z' },
    ];
    const removed = makeEvent('RepRotationChanged', null, { repId: 'ava', inRotation: false, cause: 'sla_misses', misses, by: null, policyVersion: 'e2e-1' });
    const back = makeEvent('RepRotationChanged', null, { repId: 'ava', inRotation: true, cause: 'manager_reinstated', misses: [], by: 'mgr-emea', policyVersion: 'e2e-1' });
    await publisher.publish([removed, back]);

    const sent = (eventId: string) => receiver.received.filter((r) => r.body.eventId === eventId && r.status === 200);
    await waitFor(() => (sent(removed.eventId).length > 0 && sent(back.eventId).length > 0) || undefined, 'both rotation notifications to be delivered', 30_000);
    expect(sent(removed.eventId).map((r) => r.body)).toEqual([
      expect.objectContaining({ kind: 'rep.removed_from_rotation', leadId: null, recipient: { repId: 'mgr-emea', role: 'manager' }, details: expect.objectContaining({ repId: 'ava', misses }) }),
    ]);
    expect(sent(removed.eventId)[0].body.text).toContain(`lead ${misses[1].leadId} (first_touch breached at 2026-11-24T10:20:00.000Z)`);
    expect(sent(back.eventId).map((r) => `${r.body.kind}:${r.body.recipient.repId}`)).toEqual(['rep.reinstated:mgr-emea']);
  });

  it('gives up on a channel that keeps failing after NOTIFY_MAX_ATTEMPTS and records a dead letter', async () => {
    const leadId = uniqueName('lead_dead');
    const reassigned = makeEvent('LeadAssigned', leadId, {
      repId: 'ben', teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: 'reassignment', reassignment: true,
      previousRepId: 'ava', reassignmentCause: 'first_touch SLA breached', skipped: [], managerId: 'mgr-emea', policyVersion: 'e2e-1',
    });
    await publisher.publish([reassigned]);
    const dead = await waitFor(
      () => withPg(async (pg) => {
        const { rows } = await pg.query(`SELECT recipient, attempts, last_error FROM notifications.dead_letters WHERE lead_id = $1 ORDER BY recipient`, [leadId]);
        return rows.length === 3 ? rows : undefined;
      }),
      'three dead letters (owner, manager, previous owner)',
      30_000,
      200,
    );
    expect(dead).toEqual(['ava', 'ben', 'mgr-emea'].map((recipient) => ({ recipient, attempts: 4, last_error: 'HTTP 503' })));
    expect(receiver.received.filter((r) => r.body.leadId === leadId)).toHaveLength(12);
    await withPg(async (pg) => {
      const { rows } = await pg.query(`SELECT DISTINCT status FROM notifications.deliveries WHERE lead_id = $1`, [leadId]);
      expect(rows).toEqual([{ status: 'dead' }]);
    });
  });

  it('counts an invalid event it dead-letters, and reports its consumer lag per partition', async () => {
    await publisher.publishRaw([{ key: 'lead-garbage', value: '{"type":"SlaBreached","oops":true}' }]);
    const metrics = app.get(ServiceMetrics);
    const text = await waitFor(async () => {
      const { body } = await metrics.render();
      return /lead_sla_dead_letters_total\{[^}]*reason="invalid"[^}]*\} [1-9]/.test(body) ? body : undefined;
    }, 'the dead-letter counter to count the invalid event', 20_000, 200);
    expect(text).toMatch(/lead_sla_consumer_lag\{[^}]*messaging_destination_partition_id="0"[^}]*\} \d+/);
    expect(text).toContain('lead_sla_notification_attempts_total');
  });

  it('posts a Slack-compatible `text` message to the incoming webhook, and treats a timeout as a failure to retry', async () => {
    const bodies: string[] = [];
    const slack = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        if (req.url === '/slow') return void setTimeout(() => res.end('ok'), 1000);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(slack.address() as AddressInfo).port}`;
    try {
      const clock = { now: () => new Date() };
      const payload = { kind: 'sla.breached', eventId: 'e1', eventType: 'SlaBreached', leadId: 'lead-1', occurredAt: clock.now().toISOString(), recipient: { repId: 'ava', role: 'owner' }, text: 'SLA breached: lead-1', details: {} } as const;
      const channels = new NotificationChannels(loadNotificationsConfig({ NOTIFY_SLACK_WEBHOOK_URL: `${base}/services/T0/B0/x` }), clock);
      expect(channels.enabled()).toEqual(['slack']);
      expect(await channels.send('slack', 'd1', payload)).toEqual({ ok: true });
      expect(JSON.parse(bodies[0])).toEqual({ text: 'SLA breached: lead-1 → owner ava' });
      const slow = new NotificationChannels(loadNotificationsConfig({ NOTIFY_SLACK_WEBHOOK_URL: `${base}/slow`, NOTIFY_HTTP_TIMEOUT_MS: '200' }), clock);
      expect(await slow.send('slack', 'd2', payload)).toMatchObject({ ok: false });
    } finally {
      slack.closeAllConnections();
      await new Promise((r) => slack.close(r));
    }
  });
});
